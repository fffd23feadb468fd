import Foundation
import Shared

extension ServiceName {
    /// Parses `all` or a comma-separated list such as `auth,users` (`privatechat` is `chat`).
    /// - Throws: ``StartupError`` naming an unknown service.
    public static func parseList(_ text: String) throws -> Set<ServiceName> {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard !names.isEmpty else {
            throw StartupError("--services is empty: use all, or any of auth,users,chat,gateway")
        }
        if names == ["all"] { return Set(allCases) }
        var result: Set<ServiceName> = []
        for name in names {
            guard let service = ServiceName(rawValue: name == "privatechat" ? "chat" : name) else {
                throw StartupError("unknown service '\(name)': use all, or any of auth,users,chat,gateway")
            }
            result.insert(service)
        }
        return result
    }
}

/// A reason `messenger serve` cannot start, printed as one line.
public struct StartupError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
