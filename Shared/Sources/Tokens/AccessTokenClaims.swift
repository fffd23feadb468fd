import Foundation
import JWTKit

/// The claims of an access token: who (`sub`), which login session (`sid`), and until when (`exp`).
///
/// Auth signs them with its Ed25519 key (`alg` EdDSA, `kid` in the header); the gateway verifies them
/// with Auth's public key, so no database read is needed per request.
public struct AccessTokenClaims: JWTPayload, Equatable {
    /// The user id, as a decimal string.
    public var sub: SubjectClaim
    /// The session id.
    public var sid: String
    /// Expiry.
    public var exp: ExpirationClaim
    /// Issue time.
    public var iat: IssuedAtClaim

    public init(userID: Int64, sessionID: String, issuedAt: Date, expiresAt: Date) {
        sub = SubjectClaim(value: String(userID))
        sid = sessionID
        exp = ExpirationClaim(value: expiresAt)
        iat = IssuedAtClaim(value: issuedAt)
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    /// The caller these claims name, or `nil` when `sub` is not a user id.
    public var caller: Caller? {
        guard let userID = Int64(sub.value), userID > 0, !sid.isEmpty else { return nil }
        return Caller(userID: userID, sessionID: sid)
    }
}
