import Crypto
import Foundation

/// Signs HTTP requests with AWS Signature Version 4 (`Authorization` header, single chunk), as S3 and
/// S3-compatible stores (MinIO, Yandex Object Storage) verify them.
public struct SigV4Signer: Sendable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var region: String
    public var service: String

    public init(accessKeyID: String, secretAccessKey: String, region: String, service: String = "s3") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.region = region
        self.service = service
    }

    /// A request to sign: the parts SigV4 covers.
    public struct Request: Sendable {
        public var method: String
        /// The absolute path as sent, not yet percent-encoded (`/bucket/key`).
        public var path: String
        /// Query parameters, not yet encoded.
        public var query: [(name: String, value: String)]
        /// Headers to sign; must include `host`. `x-amz-date` is added when missing.
        public var headers: [(name: String, value: String)]
        /// Lower-hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
        public var payloadHash: String

        public init(
            method: String,
            path: String,
            query: [(name: String, value: String)] = [],
            headers: [(name: String, value: String)],
            payloadHash: String
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// Lower-hex SHA-256 of `body`.
    public static func payloadHash(_ body: some DataProtocol) -> String {
        Hex.encode(SHA256.hash(data: body))
    }

    /// Signs `request` at `date`.
    /// - Returns: the headers to send: the request's own plus `x-amz-date` (if it was missing) and
    ///   `Authorization`.
    public func sign(_ request: Request, at date: Date) -> [(name: String, value: String)] {
        var request = request
        let stamp = Self.timestamp(date)
        if !request.headers.contains(where: { $0.name.lowercased() == "x-amz-date" }) {
            request.headers.append(("X-Amz-Date", stamp))
        }
        let signed = signedHeaderNames(request)
        let signature = hex(
            HMAC<SHA256>.authenticationCode(
                for: Data(stringToSign(request, at: date).utf8),
                using: signingKey(at: date)
            )
        )
        let scope = credentialScope(at: date)
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signed), Signature=\(signature)"
        return request.headers + [("Authorization", authorization)]
    }

    /// The canonical request (step 1 of SigV4).
    public func canonicalRequest(_ request: Request) -> String {
        let path = request.path.isEmpty ? "/" : Self.uriEncode(request.path, keepSlash: true)
        var pairs: [(name: String, value: String)] = []
        for parameter in request.query {
            pairs.append(
                (Self.uriEncode(parameter.name, keepSlash: false), Self.uriEncode(parameter.value, keepSlash: false))
            )
        }
        pairs.sort { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
        let query = pairs.map { $0.name + "=" + $0.value }.joined(separator: "&")
        let headers = canonicalHeaders(request)
        let lines = headers.map { "\($0.name):\($0.value)\n" }.joined()
        return [request.method, path, query, lines, signedHeaderNames(request), request.payloadHash]
            .joined(separator: "\n")
    }

    /// The string to sign (step 2).
    public func stringToSign(_ request: Request, at date: Date) -> String {
        var request = request
        if !request.headers.contains(where: { $0.name.lowercased() == "x-amz-date" }) {
            request.headers.append(("X-Amz-Date", Self.timestamp(date)))
        }
        let hash = Self.payloadHash(Data(canonicalRequest(request).utf8))
        return "AWS4-HMAC-SHA256\n\(Self.timestamp(date))\n\(credentialScope(at: date))\n\(hash)"
    }

    /// The signing key for `date` (step 3).
    public func signingKey(at date: Date) -> SymmetricKey {
        var key = SymmetricKey(data: Data(("AWS4" + secretAccessKey).utf8))
        for part in [Self.day(date), region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    func credentialScope(at date: Date) -> String {
        "\(Self.day(date))/\(region)/\(service)/aws4_request"
    }

    func canonicalHeaders(_ request: Request) -> [(name: String, value: String)] {
        request.headers
            .map { (name: $0.name.lowercased(), value: Self.collapseSpaces($0.value)) }
            .sorted { $0.name < $1.name }
    }

    func signedHeaderNames(_ request: Request) -> String {
        canonicalHeaders(request).map(\.name).joined(separator: ";")
    }

    func hex(_ code: HMAC<SHA256>.MAC) -> String {
        Hex.encode(code)
    }

    /// `path` percent-encoded as S3 expects it in a URL and in the canonical request (slashes kept).
    public static func encodePath(_ path: String) -> String {
        uriEncode(path, keepSlash: true)
    }

    /// UriEncode of SigV4: keeps `A-Z a-z 0-9 - . _ ~` (and `/` in paths), encodes every other byte as `%XY`.
    static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        guard keepSlash else { return FormEncoding.escape(text) }
        return text.split(separator: "/", omittingEmptySubsequences: false).map { FormEncoding.escape(String($0)) }
            .joined(separator: "/")
    }

    static func collapseSpaces(_ value: String) -> String {
        value.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true)
            .joined(separator: " ")
    }

    static func timestamp(_ date: Date) -> String {
        UTCTimestamp.compact(date)
    }

    static func day(_ date: Date) -> String {
        String(UTCTimestamp.compact(date).prefix(8))
    }
}
