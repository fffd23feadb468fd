import Foundation
import Shared

/// Rules for e-mail addresses and passwords, with no I/O.
public enum CredentialRules {
    /// Password length in UTF-8 bytes (bcrypt reads at most 72).
    public static let passwordBytes = 8...72
    /// Longest e-mail address (RFC 5321).
    public static let maxEmailLength = 254

    /// Checks a password's length in bytes, and that it has no control character ``TextSafety`` refuses
    /// (bcrypt's C code would stop reading at a NUL, so `"\u{0}abcdefgh"` would match `""`).
    /// - Throws: ``AuthError/invalidPassword(bytes:)``, ``APIError`` 422 for a control character.
    public static func validate(password: String) throws {
        guard passwordBytes.contains(password.utf8.count) else { throw AuthError.invalidPassword(bytes: passwordBytes) }
        guard !TextSafety.containsForbidden(password) else { throw APIError.controlCharacters(inField: "password") }
    }

    /// An e-mail address in the one spelling it is stored and looked up in: Unicode NFC, so the
    /// precomposed and decomposed spellings of `é` are one address, not two accounts.
    public static func normalized(email: String) -> String {
        email.precomposedStringWithCanonicalMapping
    }

    /// Checks that `email` is a plausible address: one `@`, a non-empty local part without spaces,
    /// control, invisible or bidirectional formatting characters (``TextSafety/isSafeIdentifier(_:)``),
    /// and a domain of dot-separated labels of letters, digits and hyphens with a
    /// top-level label of at least two letters.
    /// - Throws: ``AuthError/invalidEmail``.
    public static func validate(email: String) throws {
        guard isValid(email: email) else { throw AuthError.invalidEmail }
    }

    static func isValid(email: String) -> Bool {
        guard email.count <= maxEmailLength, TextSafety.isSafeIdentifier(email) else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let local = parts[0]
        let domain = parts[1]
        guard (1...64).contains(local.count), !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            return false
        }
        let forbidden = Set(" \t\r\n\"(),:;<>[\\]")
        guard local.allSatisfy({ !forbidden.contains($0) && !($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) })
        else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard (1...63).contains(label.count), !label.hasPrefix("-"), !label.hasSuffix("-"),
                label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" })
            else { return false }
        }
        guard let top = labels.last, top.count >= 2, top.allSatisfy(\.isLetter) else { return false }
        return true
    }
}
