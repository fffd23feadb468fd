import Crypto
import Foundation
import JWTKit

/// Auth's Ed25519 key pair for access tokens, with its key id (`kid`): the first 16 hex digits of the
/// SHA-256 of the public key, so rotating the key changes the id.
public struct SigningKey: Sendable {
    /// The private key (Auth only).
    public let privateKey: Curve25519.Signing.PrivateKey
    /// The key id put in every token's header.
    public let keyID: String

    /// Loads the key from base64 of its 32-byte seed (`JWT_PRIVATE_KEY`).
    /// - Throws: ``ConfigError`` when the value is not a valid seed.
    public init(base64Seed: String) throws {
        guard let seed = Data(base64Encoded: base64Seed), seed.count == 32,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        else {
            throw ConfigError(variable: "JWT_PRIVATE_KEY", reason: "must be base64 of a 32-byte Ed25519 seed")
        }
        privateKey = key
        keyID = Self.keyID(for: key.publicKey.rawRepresentation)
    }

    /// The public half as a JSON Web Key (`kty` OKP, `crv` Ed25519).
    public var publicJWK: PublicJWK {
        PublicJWK(kid: keyID, x: Base64URL.encode(privateKey.publicKey.rawRepresentation))
    }

    static func keyID(for publicKey: Data) -> String {
        Hex.encode(SHA256.hash(data: publicKey).prefix(8))
    }
}

/// An Ed25519 public key in JWK form, as Auth publishes it to the gateway.
public struct PublicJWK: Codable, Sendable, Equatable {
    public var kty = "OKP"
    public var crv = "Ed25519"
    public var alg = "EdDSA"
    public var use = "sig"
    public var kid: String
    /// The public key, base64url without padding.
    public var x: String

    public init(kid: String, x: String) {
        self.kid = kid
        self.x = x
    }
}

/// A JWK set: `{"keys": [...]}`.
public struct PublicJWKSet: Codable, Sendable, Equatable {
    public var keys: [PublicJWK]

    public init(keys: [PublicJWK]) {
        self.keys = keys
    }
}
