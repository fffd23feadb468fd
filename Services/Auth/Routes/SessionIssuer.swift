import Foundation
import Logging
import Shared

/// Starts login sessions: a session row with a refresh token, and a signed access token.
/// Password login, refresh and QR login all end here.
public struct SessionIssuer: Sendable {
    let sessions: PostgresSessionStore
    let issuer: TokenIssuer
    /// Session (refresh token) lifetime in seconds.
    let sessionLifetime: Int

    public init(sessions: PostgresSessionStore, issuer: TokenIssuer, sessionLifetime: Int) {
        self.sessions = sessions
        self.issuer = issuer
        self.sessionLifetime = sessionLifetime
    }

    /// A new session for `userID`, answered as the seed's `{"token", "type": "Bearer"}` plus refresh token.
    func start(for userID: Int64, logger: Logger) async throws -> TokenOutput {
        let sessionID = UUID()
        let refresh = RefreshToken.make()
        try await sessions.create(
            id: sessionID,
            userID: userID,
            refreshHash: refresh.hash,
            expiresAt: Date().addingTimeInterval(TimeInterval(sessionLifetime)),
            logger: logger
        )
        let token = try await issuer.accessToken(userID: userID, sessionID: sessionID.uuidString.lowercased())
        return TokenOutput(token: token, refreshToken: refresh.token, expiresIn: issuer.lifetime)
    }

    /// Rotates a refresh token and signs a new access token for its session.
    func refresh(_ refreshToken: String, logger: Logger) async throws -> TokenOutput {
        let next = RefreshToken.make()
        let session = try await sessions.rotate(
            presentedHash: RefreshToken.hash(of: refreshToken),
            newHash: next.hash,
            logger: logger
        )
        let token = try await issuer.accessToken(
            userID: session.userID,
            sessionID: session.sessionID.uuidString.lowercased()
        )
        return TokenOutput(token: token, refreshToken: next.token, expiresIn: issuer.lifetime)
    }
}
