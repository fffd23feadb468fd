import Foundation

/// Reads a token from an `Authorization` header, which the seed's clients send either as
/// `Bearer <token>` or as the bare token (the gateway's access tokens, QR login's `auth_token`).
public enum BearerToken {
    /// The token, or `nil` when the header is missing or empty.
    public static func extract(from header: String?) -> String? {
        guard var value = header?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if value.lowercased() == "bearer" {
            return nil
        }
        if value.lowercased().hasPrefix("bearer ") {
            value = String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        return value.isEmpty ? nil : value
    }

    /// The `kid` of a compact JWS whose header names `alg` EdDSA; `nil` for anything else (other or
    /// `none` algorithms, a malformed token), which is refused before any signature check.
    public static func keyID(of token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }), token.utf8.count <= 4096 else { return nil }
        var base64 = parts[0].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
            let header = try? JSONDecoder().decode(Header.self, from: data),
            header.alg == "EdDSA", let kid = header.kid, !kid.isEmpty
        else { return nil }
        return kid
    }

    struct Header: Decodable {
        var alg: String
        var kid: String?
    }
}
