import Foundation
import Hummingbird
import Shared

/// What the gateway asks Auth: the public key to verify tokens with, and the sessions revoked lately.
public struct InternalAuthRoutes: Sendable {
    let sessions: PostgresSessionStore
    let signingKey: SigningKey

    public init(sessions: PostgresSessionStore, signingKey: SigningKey) {
        self.sessions = sessions
        self.signingKey = signingKey
    }

    public func addRoutes(to router: Router<MessengerRequestContext>) {
        router.get(RouterPath(InternalRoute.signingKeys.pattern), use: keys)
        router.get(RouterPath(InternalRoute.revokedSessions.pattern), use: revoked)
    }

    /// The JWK set of the token signing key.
    @Sendable func keys(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        try PublicJWKSet(keys: [signingKey.publicJWK]).response()
    }

    /// Unexpired sessions revoked at or after the commit cursor `after` (every one without it), and the
    /// cursor of the next poll: a ``RevocationPage``.
    @Sendable func revoked(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        var cursor: CommitCursor?
        if let after = request.uri.queryParameters.get("after") {
            guard let parsed = CommitCursor(after) else {
                throw APIError(.badRequest, detail: "after must be a cursor from an earlier answer")
            }
            cursor = parsed
        }
        let page = try await sessions.revocations(after: cursor, logger: context.logger)
        return try RevocationPage(
            cursor: page.next.description,
            sessions: page.sessions.map {
                RevokedSession(
                    sessionID: $0.sessionID.uuidString.lowercased(),
                    revokedAt: $0.revokedAt.timeIntervalSince1970
                )
            }
        ).response()
    }
}
