import Foundation
import JWTKit
import Shared

/// Signs access tokens with Auth's Ed25519 key.
public struct TokenIssuer: Sendable {
    let keys: JWTKeyCollection
    /// The key pair tokens are signed with.
    public let signingKey: SigningKey
    /// Access token lifetime in seconds.
    public let lifetime: Int

    /// Creates an issuer; the key is registered under its `kid`.
    public init(signingKey: SigningKey, lifetime: Int) async {
        let keys = JWTKeyCollection()
        await keys.add(
            eddsa: EdDSA.PrivateKey(backing: signingKey.privateKey),
            kid: JWKIdentifier(string: signingKey.keyID)
        )
        self.keys = keys
        self.signingKey = signingKey
        self.lifetime = lifetime
    }

    /// A signed access token for `userID` in session `sessionID`, valid for ``lifetime`` seconds from `now`.
    public func accessToken(userID: Int64, sessionID: String, now: Date = Date()) async throws -> String {
        let claims = AccessTokenClaims(
            userID: userID,
            sessionID: sessionID,
            issuedAt: now,
            expiresAt: now.addingTimeInterval(TimeInterval(lifetime))
        )
        return try await keys.sign(claims, kid: JWKIdentifier(string: signingKey.keyID))
    }
}
