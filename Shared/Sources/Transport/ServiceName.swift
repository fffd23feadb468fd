/// The services of the messenger, one spelling everywhere: `messenger serve --services`, log metadata,
/// health reports, the gateway's routing and the name a 503 gives.
public enum ServiceName: String, CaseIterable, Sendable, Comparable {
    case auth, users, chat, gateway

    /// The name clients read in messages ("PrivateChat is unavailable").
    public var displayName: String {
        switch self {
        case .auth: "Auth"
        case .users: "Users"
        case .chat: "PrivateChat"
        case .gateway: "Gateway"
        }
    }

    /// The services behind the gateway.
    public static let upstreams: [ServiceName] = [.auth, .users, .chat]

    /// Start-up order: the services first, the gateway (which calls them) last.
    var order: Int {
        switch self {
        case .auth: 0
        case .users: 1
        case .chat: 2
        case .gateway: 3
        }
    }

    public static func < (lhs: ServiceName, rhs: ServiceName) -> Bool {
        lhs.order < rhs.order
    }
}
