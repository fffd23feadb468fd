import Foundation
import Logging
import Synchronization

/// Writes log lines to standard error in swift-log's `StreamLogHandler` format
/// (`<time> <level> <label>: <key=value ...> [<source>] <message>`).
///
/// Unlike `StreamLogHandler`, which renders its metadata into a string every time a value is set,
/// it renders only when a line is written. Every request sets its id on its logger and most requests
/// write nothing at the default level, so that rendering was measurable on the request path.
public struct ConsoleLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String

    public init(label: String, logLevel: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        var text = Self.timestamp() + " \(event.level) \(label):"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            text += " \(key)=\(value)"
        }
        text += " [\(event.source)] \(event.message)\n"
        Self.output.withLock { _ in
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    /// Keeps lines from different threads whole.
    private static let output = Mutex(())

    /// The local time as `2026-11-24T00:04:27+0000`, as `StreamLogHandler` writes it.
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [Int8](repeating: 0, count: 32)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
