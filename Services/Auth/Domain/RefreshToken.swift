import Crypto
import Foundation
import Shared

/// Opaque refresh tokens: 32 random bytes for the client, only their SHA-256 kept by Auth.
public enum RefreshToken {
    /// A new token and the hash to store.
    public static func make() -> (token: String, hash: [UInt8]) {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let token = Base64URL.encode(bytes)
        return (token, hash(of: token))
    }

    /// The stored form of `token`.
    public static func hash(of token: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(token.utf8)))
    }
}
