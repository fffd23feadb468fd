import Foundation
import Hummingbird
import Shared

/// What the gateway asks Auth: the public key to verify tokens with, and the sessions revoked lately.
public struct InternalAuthRoutes<Sessions: SessionStore>: Sendable {
    let sessions: Sessions
    let signingKey: SigningKey

    public init(sessions: Sessions, signingKey: SigningKey) {
        self.sessions = sessions
        self.signingKey = signingKey
    }

    public func addRoutes(to group: RouterGroup<MessengerRequestContext>) {
        group.get("keys", use: keys)
        group.get("sessions/revoked", use: revoked)
    }

    /// The JWK set of the token signing key.
    @Sendable func keys(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        try PublicJWKSet(keys: [signingKey.publicJWK]).response()
    }

    /// Sessions revoked after `since` (seconds since 1970) that are not expired.
    @Sendable func revoked(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        let since = request.uri.queryParameters.get("since").flatMap(Double.init) ?? 0
        let list = try await sessions.revoked(since: Date(timeIntervalSince1970: since), logger: context.logger)
        return try list.map {
            RevokedSession(
                sessionID: $0.sessionID.uuidString.lowercased(),
                revokedAt: $0.revokedAt.timeIntervalSince1970
            )
        }.response()
    }
}
