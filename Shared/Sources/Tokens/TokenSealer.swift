import Crypto
import Foundation

/// Seals small values into opaque, tamper-proof strings (ChaCha20-Poly1305, base64url), and opens them.
///
/// Each use names a `purpose`, bound in as associated data, so a token sealed for one purpose (a QR
/// ticket) never opens as another (an OAuth state) even under the same key.
public struct TokenSealer: Sendable {
    let key: SymmetricKey
    let purpose: Data

    /// - Parameters:
    ///   - base64Key: 32 bytes, base64.
    ///   - variable: the setting the key comes from, named in the error.
    ///   - purpose: what the tokens are for, e.g. `messenger.qr-ticket.v1`.
    /// - Throws: ``ConfigError`` when the key is not 32 bytes.
    public init(base64Key: String, variable: String, purpose: String) throws {
        guard let bytes = Data(base64Encoded: base64Key), bytes.count == 32 else {
            throw ConfigError(variable: variable, reason: "must be base64 of 32 bytes")
        }
        key = SymmetricKey(data: bytes)
        self.purpose = Data(purpose.utf8)
    }

    /// `value` as JSON, sealed.
    public func seal(_ value: some Encodable) throws -> String {
        let box = try ChaChaPoly.seal(JSONEncoder().encode(value), using: key, authenticating: purpose)
        return Base64URL.encode(box.combined)
    }

    /// The value sealed in `token`, or `nil` when it was not sealed with this key and purpose, was
    /// altered, or is longer than `maxLength`.
    public func open<Value: Decodable>(_ token: String, as type: Value.Type, maxLength: Int = 2048) -> Value? {
        guard token.utf8.count <= maxLength, let data = Base64URL.decode(token),
            let box = try? ChaChaPoly.SealedBox(combined: data),
            let plain = try? ChaChaPoly.open(box, using: key, authenticating: purpose)
        else { return nil }
        return try? JSONDecoder().decode(type, from: plain)
    }

    /// 16 random bytes, base64url: an unguessable id or nonce.
    public static func randomID(bytes: Int = 16) -> String {
        Base64URL.encode(SymmetricKey(size: SymmetricKeySize(bitCount: bytes * 8)).withUnsafeBytes { Data($0) })
    }
}
