import Foundation
import HTTPTypes
import Logging
import NIOPosix

/// ``BlobStore`` in a local directory (`DATA_DIR/media`), which the gateway serves at `/media/`.
///
/// Keys are made by the service (``AvatarKey``), never by clients; files are written to a temporary name
/// and renamed, so a reader never sees half a picture. Disk work runs on NIO's blocking thread pool.
public struct LocalBlobStore: BlobStore {
    public let directory: URL

    public init(directory: String) {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
    }

    public func put(_ bytes: [UInt8], key: String, contentType: String, logger: Logger) async throws {
        let file = try url(for: key)
        do {
            try await NIOThreadPool.singleton.runIfActive {
                try FileManager.default.createDirectory(
                    at: file.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                try Data(bytes).write(to: file, options: .atomic)
            }
        } catch {
            logger.error("media.write_failed", metadata: ["key": "\(key)", "error": "\(error)"])
            throw APIError.unavailable("Avatar storage")
        }
    }

    public func delete(key: String, logger: Logger) async throws {
        let file = try url(for: key)
        do {
            try await NIOThreadPool.singleton.runIfActive {
                guard FileManager.default.fileExists(atPath: file.path) else { return }
                try FileManager.default.removeItem(at: file)
            }
        } catch {
            logger.error("media.delete_failed", metadata: ["key": "\(key)", "error": "\(error)"])
            throw APIError.unavailable("Avatar storage")
        }
    }

    /// The file of `key`, refusing keys that could leave the directory.
    func url(for key: String) throws -> URL {
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !key.isEmpty, !key.hasPrefix("/"),
            !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." || $0.contains("\\") })
        else { throw APIError(.badRequest, detail: "Invalid media key") }
        return directory.appendingPathComponent(key)
    }
}
