import Shared

/// Which service owns a public path, and whether it needs a caller.
public struct ProxyRoute: Sendable, Equatable {
    /// The service behind the gateway that answers the path.
    public var upstream: ServiceName
    public var requiresCaller: Bool
    /// Whether the answer lives in the memory of one instance, the one holding the QR hub of the request's
    /// `client_id`: the request then goes to the instances in rendezvous order for it, as the hub relay's do.
    public var isRoutedByClientID = false

    /// Paths answered by the instance that holds the QR hub of their `client_id` (compared without the
    /// trailing slash).
    static let hubPaths: Set<String> = ["/auth/qr_auth/hub"]

    /// Paths open without a token (compared without the trailing slash).
    static let publicPaths: Set<String> = [
        "/auth/register", "/auth/login", "/auth/refresh", "/auth/qr_auth", "/auth/qr_auth/qr.svg",
        "/auth/qr_auth/qr.png", "/auth/yandex_oauth_url", "/auth/yandex_oauth_register", "/auth/login_yandex",
        "/auth/yandex_callback",
    ]

    /// The route for `path`, or `nil` when no service owns it.
    ///
    /// Paths with `.` or `..` segments or encoded slashes and dots are refused (`nil`), so no path can
    /// be made to reach a service's internal routes.
    public static func match(path: String) -> ProxyRoute? {
        let lowered = path.lowercased()
        guard !lowered.contains("%2e"), !lowered.contains("%2f"), !lowered.contains("%5c") else { return nil }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard segments.count >= 2, !segments.contains(where: { $0 == "." || $0 == ".." }) else { return nil }
        let upstream: ServiceName
        switch segments[0] {
        case "auth": upstream = .auth
        case "users": upstream = .users
        case "private": upstream = .chat
        default: return nil
        }
        let normalized = "/" + segments.joined(separator: "/")
        return ProxyRoute(
            upstream: upstream,
            requiresCaller: !publicPaths.contains(normalized),
            isRoutedByClientID: hubPaths.contains(normalized)
        )
    }
}
