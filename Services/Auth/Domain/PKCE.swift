import Crypto
import Foundation
import Shared

/// Proof Key for Code Exchange (RFC 7636) with the S256 method.
public enum PKCE {
    /// The only `code_challenge_method` accepted: the challenge is the base64url SHA-256 of the verifier.
    public static let method = "S256"

    /// Allowed length of a `code_verifier` (RFC 7636 section 4.1).
    public static let verifierLength = 43...128

    /// A fresh `code_verifier`: 32 random bytes, base64url, 43 characters.
    public static func makeVerifier() -> String {
        TokenSealer.randomID(bytes: 32)
    }

    /// The S256 `code_challenge` of `verifier`: base64url of its SHA-256, unpadded.
    public static func challenge(for verifier: String) -> String {
        Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    /// Whether `text` is a well-formed `code_verifier`: 43-128 characters of `[A-Za-z0-9-._~]`.
    public static func isValidVerifier(_ text: String) -> Bool {
        verifierLength.contains(text.utf8.count)
            && text.utf8.allSatisfy { isAlphanumeric($0) || $0 == 0x2D || $0 == 0x2E || $0 == 0x5F || $0 == 0x7E }
    }

    /// Whether `text` can be an S256 `code_challenge`: 43 characters of base64url (`[A-Za-z0-9_-]`), the length of
    /// an unpadded SHA-256.
    public static func isValidChallenge(_ text: String) -> Bool {
        text.utf8.count == 43 && text.utf8.allSatisfy { isAlphanumeric($0) || $0 == 0x2D || $0 == 0x5F }
    }

    /// Whether `verifier` proves possession of the secret behind `challenge`.
    ///
    /// Without a challenge only the absence of a verifier matches (a client that sends one expected a binding
    /// that was not made); with one, the verifier's S256 challenge must equal it, compared in constant time.
    public static func verifies(_ verifier: String?, against challenge: String?) -> Bool {
        switch (challenge, verifier) {
        case (nil, nil):
            true
        case (let challenge?, let verifier?):
            constantTimeEquals(Self.challenge(for: verifier), challenge)
        default:
            false
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}
