import Crypto
import Foundation
import Shared

/// One started Yandex sign-in, sealed into the `state` parameter that Yandex echoes back.
///
/// It carries the PKCE verifier (so no row is written for a sign-in that never completes) and the hash of
/// a nonce given to the browser as a cookie, which binds the callback to the browser that started it.
public struct YandexSignInState: Codable, Sendable, Equatable {
    /// Random id; a state is accepted once.
    public var id: String
    public var verifier: String
    /// SHA-256 (base64url) of the browser's binding cookie.
    public var bindingHash: String
    /// Expiry, seconds since 1970.
    public var expiresAt: Double

    enum CodingKeys: String, CodingKey {
        case id = "sid"
        case verifier = "ver"
        case bindingHash = "bnd"
        case expiresAt = "exp"
    }

    /// Hash of a binding nonce, as stored in a state.
    static func hash(binding: String) -> String {
        Base64URL.encode(Data(SHA256.hash(data: Data(binding.utf8))))
    }
}

/// Seals and opens ``YandexSignInState``s under Auth's OAuth state key.
public struct YandexStateSealer: Sendable {
    /// How long a started sign-in may take (Yandex's codes live 10 minutes).
    public let lifetime: TimeInterval
    let sealer: TokenSealer

    /// - Parameter base64Key: 32 bytes, base64 (`OAUTH_STATE_KEY`).
    public init(base64Key: String, lifetime: TimeInterval = 600) throws {
        sealer = try TokenSealer(
            base64Key: base64Key,
            variable: "OAUTH_STATE_KEY",
            purpose: "messenger.yandex-state.v1"
        )
        self.lifetime = lifetime
    }

    /// Starts a sign-in: the sealed state, the browser's binding nonce, and the state's contents.
    public func begin(now: Date = Date()) throws -> (state: String, binding: String, contents: YandexSignInState) {
        let binding = TokenSealer.randomID(bytes: 32)
        let contents = YandexSignInState(
            id: TokenSealer.randomID(),
            verifier: PKCE.makeVerifier(),
            bindingHash: YandexSignInState.hash(binding: binding),
            expiresAt: now.addingTimeInterval(lifetime).timeIntervalSince1970
        )
        return (try sealer.seal(contents), binding, contents)
    }

    /// Opens `state` and checks it belongs to the browser presenting `binding` and has not expired.
    /// - Throws: ``YandexError/invalidState``.
    public func open(_ state: String, binding: String?, now: Date = Date()) throws -> YandexSignInState {
        guard let contents = sealer.open(state, as: YandexSignInState.self),
            contents.expiresAt > now.timeIntervalSince1970,
            let binding,
            constantTimeEquals(YandexSignInState.hash(binding: binding), contents.bindingHash)
        else { throw YandexError.invalidState }
        return contents
    }
}
