import Foundation

/// Reads a token from an `Authorization` header, which the seed's clients send either as
/// `Bearer <token>` or as the bare token (the gateway's access tokens, QR login's `auth_token`).
///
/// It runs on every authenticated request, so it works on the header's UTF-8 bytes rather than
/// through Foundation's character sets.
public enum BearerToken {
    /// The token, or `nil` when the header is missing or empty.
    public static func extract(from header: String?) -> String? {
        guard let header else { return nil }
        var bytes = Substring(header).utf8[...]
        bytes = bytes.drop(while: isBlank)
        while let last = bytes.last, isBlank(last) { bytes = bytes.dropLast() }
        if hasSchemePrefix(bytes) {
            let rest = bytes.dropFirst(scheme.count)
            if rest.isEmpty { return nil }
            guard let first = rest.first, isBlank(first) else { return String(Substring(bytes)) }
            bytes = rest.drop(while: isBlank)
        }
        return bytes.isEmpty ? nil : String(Substring(bytes))
    }

    /// The `kid` of a compact JWS whose header names `alg` EdDSA; `nil` for anything else (other or
    /// `none` algorithms, a malformed token), which is refused before any signature check.
    public static func keyID(of token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }), token.utf8.count <= 4096,
            let data = Base64URL.decode(String(parts[0])),
            let header = try? JSONDecoder().decode(Header.self, from: data),
            header.alg == "EdDSA", let kid = header.kid, !kid.isEmpty
        else { return nil }
        return kid
    }

    struct Header: Decodable {
        var alg: String
        var kid: String?
    }

    private static let scheme = Array("bearer".utf8)

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// Whether `bytes` starts with `bearer`, in any letter case.
    private static func hasSchemePrefix(_ bytes: Substring.UTF8View) -> Bool {
        guard bytes.count >= scheme.count else { return false }
        return zip(bytes, scheme).allSatisfy { $0 | 0x20 == $1 }
    }
}
