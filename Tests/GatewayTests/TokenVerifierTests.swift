import Crypto
import Foundation
import JWTKit
import Logging
import Shared
import Synchronization
import Testing

@testable import Gateway

/// Auth's key endpoint as the verifier sees it: a key set that a test can rotate, counting fetches.
final class RotatingKeySource: PublicKeySource {
    private let state: Mutex<(keys: [SigningKey], fetches: Int)>

    init(_ keys: [SigningKey]) {
        state = Mutex((keys, 0))
    }

    func keys(logger: Logger) async throws -> PublicJWKSet {
        state.withLock { state in
            state.fetches += 1
            return PublicJWKSet(keys: state.keys.map(\.publicJWK))
        }
    }

    func publish(_ keys: [SigningKey]) {
        state.withLock { $0.keys = keys }
    }

    var fetches: Int { state.withLock { $0.fetches } }
}

@Suite struct TokenVerifierTests {
    let logger = Logger(label: "test")

    static func newKey() throws -> SigningKey {
        try SigningKey(base64Seed: Curve25519.Signing.PrivateKey().rawRepresentation.base64EncodedString())
    }

    static func token(
        _ key: SigningKey,
        userID: Int64 = 7,
        session: String = "s1",
        expiresIn: TimeInterval = 600
    ) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(eddsa: EdDSA.PrivateKey(backing: key.privateKey), kid: JWKIdentifier(string: key.keyID))
        let now = Date()
        let claims = AccessTokenClaims(
            userID: userID,
            sessionID: session,
            issuedAt: now,
            expiresAt: now.addingTimeInterval(expiresIn)
        )
        return try await keys.sign(claims, kid: JWKIdentifier(string: key.keyID))
    }

    @Test func aVerifiedTokenIsRememberedAndKeysAreFetchedOnce() async throws {
        let key = try Self.newKey()
        let source = RotatingKeySource([key])
        let verifier = TokenVerifier(source: source, revocations: RevocationList(tokenLifetime: 600))
        let token = try await Self.token(key)
        for _ in 0..<3 {
            let caller = try await verifier.caller(authorization: "Bearer \(token)", logger: logger)
            #expect(caller == Caller(userID: 7, sessionID: "s1"))
        }
        #expect(verifier.verified.count == 1)
        #expect(source.fetches == 1)
    }

    @Test func aRememberedTokenStillExpires() async throws {
        let key = try Self.newKey()
        let verifier = TokenVerifier(source: RotatingKeySource([key]), revocations: RevocationList(tokenLifetime: 600))
        let token = try await Self.token(key, expiresIn: 60)
        _ = try await verifier.caller(authorization: token, logger: logger)
        await #expect(throws: TokenError.invalid) {
            try await verifier.caller(authorization: token, logger: logger, now: Date().addingTimeInterval(61))
        }
    }

    @Test func aRememberedTokenIsRefusedOnceItsSessionIsRevoked() async throws {
        let key = try Self.newKey()
        let revocations = RevocationList(tokenLifetime: 600)
        let verifier = TokenVerifier(source: RotatingKeySource([key]), revocations: revocations)
        let token = try await Self.token(key, session: "gone")
        _ = try await verifier.caller(authorization: token, logger: logger)
        revocations.add([("gone", Date())])
        await #expect(throws: TokenError.revoked) {
            try await verifier.caller(authorization: token, logger: logger)
        }
    }

    @Test func forgedExpiredAndUnknownKeyTokensAreRefused() async throws {
        let key = try Self.newKey()
        let verifier = TokenVerifier(
            source: RotatingKeySource([key]),
            revocations: RevocationList(tokenLifetime: 600),
            refetchInterval: .seconds(60)
        )
        let good = try await Self.token(key, userID: 7)
        _ = try await verifier.caller(authorization: good, logger: logger)

        // Another user's claims under the remembered token's header and signature.
        let parts = good.split(separator: ".").map(String.init)
        let otherClaims = try await Self.token(key, userID: 8).split(separator: ".").map(String.init)[1]
        let spliced = [parts[0], otherClaims, parts[2]].joined(separator: ".")
        // A token signed by a key Auth does not have, but naming Auth's key id.
        let stranger = try Self.newKey()
        let foreign = try await Self.token(stranger).split(separator: ".").map(String.init)
        let wrongKey = [parts[0], foreign[1], foreign[2]].joined(separator: ".")
        let expired = try await Self.token(key, expiresIn: -1)
        let unknownKey = try await Self.token(stranger)
        let unsigned = Base64URL.encode(Data(#"{"alg":"none","kid":"\#(key.keyID)"}"#.utf8)) + "." + parts[1] + "."
        for token in [spliced, wrongKey, expired, unknownKey, unsigned, good + "x", "a.b.c"] {
            await #expect(throws: TokenError.invalid, "\(token)") {
                try await verifier.caller(authorization: "Bearer \(token)", logger: logger)
            }
        }
        await #expect(throws: TokenError.missing) {
            try await verifier.caller(authorization: "Bearer  ", logger: logger)
        }
        #expect(verifier.verified.count == 1)
    }

    /// A verifier that asks its source again on every unknown key, with one token of its key `old`
    /// already verified (and so cached).
    static func verifierWithOneVerifiedToken() async throws -> (
        old: SigningKey, source: RotatingKeySource, verifier: TokenVerifier, oldToken: String
    ) {
        let old = try newKey()
        let source = RotatingKeySource([old])
        let verifier = TokenVerifier(
            source: source,
            revocations: RevocationList(tokenLifetime: 600),
            refetchInterval: .zero
        )
        let oldToken = try await token(old)
        _ = try await verifier.caller(authorization: oldToken, logger: Logger(label: "test"))
        return (old, source, verifier, oldToken)
    }

    @Test func rotatedKeysEmptyTheCacheAndRetiredKeysNoLongerVerify() async throws {
        let (_, source, verifier, oldToken) = try await Self.verifierWithOneVerifiedToken()
        let new = try Self.newKey()
        source.publish([new])
        let newToken = try await Self.token(new)
        _ = try await verifier.caller(authorization: newToken, logger: logger)
        #expect(source.fetches == 2)
        #expect(verifier.verified.count == 1)
        await #expect(throws: TokenError.invalid) {
            try await verifier.caller(authorization: oldToken, logger: logger)
        }
    }

    @Test func aFetchThatRetiresNoKeyKeepsTheCache() async throws {
        let (old, source, verifier, oldToken) = try await Self.verifierWithOneVerifiedToken()
        let added = try Self.newKey()
        // A token naming a key nobody has makes the gateway ask Auth again; nothing it knew changed.
        await #expect(throws: TokenError.invalid) {
            try await verifier.caller(authorization: try await Self.token(try Self.newKey()), logger: logger)
        }
        source.publish([old, added])
        _ = try await verifier.caller(authorization: try await Self.token(added), logger: logger)
        #expect(source.fetches == 3)
        #expect(verifier.verified.count == 2)
        #expect(
            try await verifier.caller(authorization: oldToken, logger: logger) == Caller(userID: 7, sessionID: "s1")
        )
    }

    @Test func aFullCacheDropsExpiredEntriesFirst() {
        let cache = VerifiedTokenCache(capacity: 2)
        let now = Date()
        cache.insert("a", caller: Caller(userID: 1, sessionID: "a"), expiresAt: now.addingTimeInterval(-1), now: now)
        cache.insert("b", caller: Caller(userID: 2, sessionID: "b"), expiresAt: now.addingTimeInterval(60), now: now)
        cache.insert("c", caller: Caller(userID: 3, sessionID: "c"), expiresAt: now.addingTimeInterval(60), now: now)
        #expect(cache.caller(for: "a", now: now) == nil)
        #expect(cache.caller(for: "b", now: now) == Caller(userID: 2, sessionID: "b"))
        #expect(cache.caller(for: "c", now: now) == Caller(userID: 3, sessionID: "c"))
        cache.insert("d", caller: Caller(userID: 4, sessionID: "d"), expiresAt: now.addingTimeInterval(60), now: now)
        #expect(cache.count == 1)
        #expect(cache.caller(for: "d", now: now) == Caller(userID: 4, sessionID: "d"))
    }
}
