import Crypto
import Foundation
import JWTKit
import Logging
import Shared
import Synchronization

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
/// Every request through the gateway comes here, so the work runs on the caller's task with no actor
/// hop: the keys and a cache of verified tokens sit behind locks. A token seen before is looked up
/// instead of having its signature checked again; its expiry and its session's revocation are checked
/// on every request all the same. Keys are fetched from Auth (through ``KeyRing``) when a token names a
/// `kid` not seen yet, so key rotation needs no gateway restart; a key Auth no longer publishes (or
/// publishes changed) empties the cache, while a fetch that only adds keys keeps it.
public final class TokenVerifier: Sendable {
    let keyRing: KeyRing
    let revocations: RevocationList
    let verified: VerifiedTokenCache

    public init(
        source: any PublicKeySource,
        revocations: RevocationList,
        refetchInterval: Duration = .seconds(5),
        cacheCapacity: Int = 50_000
    ) {
        let verified = VerifiedTokenCache(capacity: cacheCapacity)
        self.verified = verified
        keyRing = KeyRing(source: source, refetchInterval: refetchInterval) { verified.removeAll() }
        self.revocations = revocations
    }

    /// The caller an `Authorization` header value proves.
    /// - Throws: ``TokenError`` when the token is missing, malformed, forged, expired or revoked;
    ///   ``APIError`` 503 when Auth's keys cannot be fetched.
    public func caller(authorization header: String?, logger: Logger, now: Date = Date()) async throws -> Caller {
        guard let token = BearerToken.extract(from: header) else { throw TokenError.missing }
        let caller: Caller
        if let known = verified.caller(for: token, now: now) {
            caller = known
        } else {
            let claims = try await verify(token, logger: logger, now: now)
            caller = claims.caller
            verified.insert(token, caller: caller, expiresAt: claims.expiresAt)
        }
        guard !revocations.contains(caller.sessionID) else { throw TokenError.revoked }
        return caller
    }

    /// Checks a token not seen before: an EdDSA header with a known `kid`, the signature over
    /// `header.payload`, then the claims.
    private func verify(_ token: String, logger: Logger, now: Date) async throws -> VerifiedClaims {
        guard let keyID = BearerToken.keyID(of: token) else { throw TokenError.invalid }
        guard let key = try await keyRing.key(keyID, logger: logger) else { throw TokenError.invalid }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard let payload = Base64URL.decode(String(parts[1])), let signature = Base64URL.decode(String(parts[2])),
            key.isValidSignature(signature, for: Data(token.utf8[..<parts[1].endIndex]))
        else { throw TokenError.invalid }
        guard let claims = try? Self.claimsDecoder.decode(AccessTokenClaims.self, from: payload),
            let caller = claims.caller
        else { throw TokenError.invalid }
        let expiresAt = claims.exp.value
        guard expiresAt > now else { throw TokenError.invalid }
        return VerifiedClaims(caller: caller, expiresAt: expiresAt)
    }

    /// JWT dates are seconds since 1970 (JSONDecoder's default counts from 2001).
    static let claimsDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    struct VerifiedClaims {
        var caller: Caller
        var expiresAt: Date
    }
}

/// Auth's public keys by key id, fetched when a token names one not seen yet (at most once per refetch
/// interval). Requests that arrive while a fetch is under way wait for it, and a failed fetch may be
/// retried by the next request.
final class KeyRing: Sendable {
    let source: any PublicKeySource
    let refetchInterval: Duration
    /// Called after a fetch in which a known key disappeared or changed.
    let onKeysRetired: @Sendable () -> Void
    private let keys = Mutex<[String: Curve25519.Signing.PublicKey]>([:])
    private let fetcher = Fetcher()

    init(source: any PublicKeySource, refetchInterval: Duration, onKeysRetired: @escaping @Sendable () -> Void) {
        self.source = source
        self.refetchInterval = refetchInterval
        self.onKeysRetired = onKeysRetired
    }

    /// The key called `keyID`, or `nil` when Auth has no such key.
    func key(_ keyID: String, logger: Logger) async throws -> Curve25519.Signing.PublicKey? {
        if let key = keys.withLock({ $0[keyID] }) { return key }
        try await fetcher.refresh(every: refetchInterval) { try await self.fetch(logger: logger) }
        return keys.withLock { $0[keyID] }
    }

    private func fetch(logger: Logger) async throws {
        let set = try await source.keys(logger: logger)
        var fresh: [String: Curve25519.Signing.PublicKey] = [:]
        for jwk in set.keys where jwk.kty == "OKP" && jwk.crv == "Ed25519" {
            guard let raw = Base64URL.decode(jwk.x),
                let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
            else { continue }
            fresh[jwk.kid] = key
        }
        // Tokens verified by keys that are still published stay valid; only a retired key empties the
        // cache (a token naming an unknown kid, which anyone can send, must not be able to).
        let retired = keys.withLock { current in
            defer { current = fresh }
            return current.contains { id, key in fresh[id]?.rawRepresentation != key.rawRepresentation }
        }
        if retired { onKeysRetired() }
    }

    /// One fetch at a time, and none sooner than the interval after the last successful one.
    actor Fetcher {
        private var lastFetch: ContinuousClock.Instant?
        private var running: Task<Void, any Error>?

        func refresh(every interval: Duration, _ fetch: @escaping @Sendable () async throws -> Void) async throws {
            if let running {
                try await running.value
                return
            }
            if let lastFetch, ContinuousClock.now - lastFetch < interval { return }
            lastFetch = .now
            let task = Task { try await fetch() }
            running = task
            defer { running = nil }
            do {
                try await task.value
            } catch {
                lastFetch = nil
                throw error
            }
        }
    }
}
