import Foundation

/// One instance of a service: the base URL the others call it at and, when that instance is a service
/// of this process, its ``LocalService``, decided once at start-up (``ServiceTransport``).
public struct ServiceInstance: Sendable, Hashable, CustomStringConvertible {
    /// The base URL, without a trailing slash (`http://127.0.0.1:8082`).
    public let url: String
    /// The service of this process answering at ``url``, called without a socket.
    public let local: LocalService?

    public init(url: String, local: LocalService? = nil) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.local = local
    }

    /// Whether calls to this instance stay in this process.
    public var isInProcess: Bool { local != nil }

    /// The WebSocket URL of ``url`` (`http://` becomes `ws://`, `https://` `wss://`).
    public var webSocketURL: String {
        if url.hasPrefix("https://") { return "wss://" + url.dropFirst(8) }
        if url.hasPrefix("http://") { return "ws://" + url.dropFirst(7) }
        return url
    }

    public var description: String { url }

    public static func == (lhs: ServiceInstance, rhs: ServiceInstance) -> Bool { lhs.url == rhs.url }

    public func hash(into hasher: inout Hasher) { hasher.combine(url) }

    /// Whether `url` reaches a server listening on `host:port` of this machine: the same port and either
    /// the same host, or two spellings of loopback (`localhost`, `127.0.0.1`, `::1`), or a loopback URL
    /// and a server listening on every address.
    static func url(_ url: String, reaches host: String, port: Int) -> Bool {
        guard let components = URLComponents(string: url), components.scheme == "http",
            let urlHost = components.host?.lowercased()
        else { return false }
        guard (components.port ?? 80) == port else { return false }
        let listening = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let called = urlHost.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if called == listening { return true }
        let isLoopback = { (name: String) in name == "localhost" || name == "::1" || name.hasPrefix("127.") }
        let isWildcard = listening == "0.0.0.0" || listening == "::"
        return isLoopback(called) && (isLoopback(listening) || isWildcard)
    }
}
