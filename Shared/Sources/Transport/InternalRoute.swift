import Foundation

/// The routes services call on each other, one spelling for the caller and the service that answers:
/// the callee registers ``pattern`` and the caller sends ``path(id:query:)``. All are behind the
/// internal token (``InternalCallerMiddleware``) and unreachable through the gateway.
public enum InternalRoute: String, CaseIterable, Sendable {
    /// Auth: the JWK set the gateway verifies access tokens with (`GET`).
    case signingKeys = "/internal/keys"
    /// Auth: sessions revoked after a commit cursor, `?after=` (`GET`).
    case revokedSessions = "/internal/sessions/revoked"
    /// Users: create the profile of a user Auth registers (`POST`).
    case profiles = "/internal/profiles"
    /// Users: one profile, by id (`DELETE`, Auth's compensation of a failed registration).
    case profile = "/internal/profiles/{id}"
    /// Users: the summaries of many users in one call (`POST`; `?presence=true` adds `is_online` and
    /// `last_online_at`).
    case profileSummaries = "/internal/profiles/summaries"
    /// Users: a gateway reports the users active since its last report (`POST`, ``PresenceReport``) and
    /// gets the presence changes to announce (``PresenceChange``), each handed to one caller only.
    case presence = "/internal/presence"
    /// PrivateChat: the member ids of a chat, if the caller (`X-User-Id`) is one of them (`GET`; the
    /// gateway's `typing`).
    case chatMembers = "/internal/chats/{id}/members"
    /// PrivateChat: the ids of the users who share a chat with user `{id}`, without `{id}` (`GET`; who
    /// hears of the user's presence and profile changes).
    case userContacts = "/internal/users/{id}/contacts"

    /// The router pattern the owning service registers.
    public var pattern: String { rawValue }

    /// The path a caller sends: the pattern with `{id}` filled in, and the query when given.
    public func path(id: Int64? = nil, query: String? = nil) -> String {
        var path = rawValue
        if let id { path = path.replacingOccurrences(of: "{id}", with: String(id)) }
        if let query, !query.isEmpty { path += "?" + query }
        return path
    }
}
