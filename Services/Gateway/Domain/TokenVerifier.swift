import Foundation
import JWTKit
import Logging
import Shared

/// Where the gateway gets the public keys access tokens are signed with.
public protocol PublicKeySource: Sendable {
    /// The current key set.
    func keys(logger: Logger) async throws -> PublicJWKSet
}

/// Why a token was refused.
public enum TokenError: Error, Equatable {
    case missing
    case invalid
    case revoked
}

/// Verifies access tokens: algorithm, key id, Ed25519 signature, expiry, and revocation.
///
/// Keys are fetched from Auth when a token names a `kid` not seen yet (at most once per
/// ``refetchInterval``), so key rotation needs no gateway restart.
public actor TokenVerifier {
    let source: any PublicKeySource
    let revocations: RevocationList
    let refetchInterval: Duration
    private var collection = JWTKeyCollection()
    private var knownKeyIDs: Set<String> = []
    private var lastFetch: ContinuousClock.Instant?
    private var fetching: Task<Void, any Error>?

    public init(source: any PublicKeySource, revocations: RevocationList, refetchInterval: Duration = .seconds(5)) {
        self.source = source
        self.revocations = revocations
        self.refetchInterval = refetchInterval
    }

    /// The caller an `Authorization` header value proves.
    /// - Throws: ``TokenError`` when the token is missing, malformed, forged, expired or revoked;
    ///   ``APIError`` 503 when Auth's keys cannot be fetched.
    public func caller(authorization header: String?, logger: Logger) async throws -> Caller {
        guard let token = BearerToken.extract(from: header) else { throw TokenError.missing }
        guard let keyID = BearerToken.keyID(of: token) else { throw TokenError.invalid }
        guard try await hasKey(keyID, logger: logger) else { throw TokenError.invalid }
        let claims: AccessTokenClaims
        do {
            claims = try await collection.verify(token, as: AccessTokenClaims.self)
        } catch {
            throw TokenError.invalid
        }
        guard let caller = claims.caller else { throw TokenError.invalid }
        guard await !revocations.contains(caller.sessionID) else { throw TokenError.revoked }
        return caller
    }

    /// Whether `keyID` is one of Auth's keys, fetching them when it is new. Requests that arrive while a
    /// fetch is under way wait for it (rather than being refused), and a failed fetch may be retried by
    /// the next request.
    private func hasKey(_ keyID: String, logger: Logger) async throws -> Bool {
        if knownKeyIDs.contains(keyID) { return true }
        if let fetching {
            try await fetching.value
            return knownKeyIDs.contains(keyID)
        }
        if let lastFetch, ContinuousClock.now - lastFetch < refetchInterval { return false }
        lastFetch = .now
        let task = Task { try await self.refreshKeys(logger: logger) }
        fetching = task
        do {
            try await task.value
            fetching = nil
        } catch {
            fetching = nil
            lastFetch = nil
            throw error
        }
        return knownKeyIDs.contains(keyID)
    }

    private func refreshKeys(logger: Logger) async throws {
        let set = try await source.keys(logger: logger)
        let fresh = JWTKeyCollection()
        var ids: Set<String> = []
        for key in set.keys where key.kty == "OKP" && key.crv == "Ed25519" {
            guard let publicKey = try? EdDSA.PublicKey(x: key.x, curve: .ed25519) else { continue }
            await fresh.add(eddsa: publicKey, kid: JWKIdentifier(string: key.kid))
            ids.insert(key.kid)
        }
        collection = fresh
        knownKeyIDs = ids
    }
}
