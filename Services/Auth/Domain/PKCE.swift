import Crypto
import Foundation
import Shared

/// Proof Key for Code Exchange (RFC 7636) with the S256 method.
public enum PKCE {
    /// A fresh `code_verifier`: 32 random bytes, base64url, 43 characters.
    public static func makeVerifier() -> String {
        TokenSealer.randomID(bytes: 32)
    }

    /// The S256 `code_challenge` of `verifier`: base64url of its SHA-256, unpadded.
    public static func challenge(for verifier: String) -> String {
        Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8))))
    }
}
