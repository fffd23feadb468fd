import Foundation
import Logging

/// ``BlobStore`` in an S3-compatible bucket, with requests signed by ``SigV4Signer`` and sent by
/// ``CurlHTTPClient`` (TLS verified, bounded retries of these idempotent PUTs and DELETEs).
///
/// Objects are written with a long `Cache-Control`: keys are never reused. The bucket (or a CDN in front
/// of it, `S3_PUBLIC_URL`) must allow public reads of the objects. Each object also stores
/// `Content-Disposition: inline; filename=...`, which S3 answers with; S3 cannot store
/// `X-Content-Type-Options` or `Content-Security-Policy`, so a CDN or proxy in front of a bucket on our own
/// origin must add ``MediaHeaders``' values (a bucket on its own origin cannot act on our pages).
public struct S3BlobStore: BlobStore {
    let settings: S3Settings
    let http: CurlHTTPClient
    let signer: SigV4Signer

    public init(settings: S3Settings, http: CurlHTTPClient = CurlHTTPClient()) {
        self.settings = settings
        self.http = http
        signer = SigV4Signer(
            accessKeyID: settings.accessKeyID,
            secretAccessKey: settings.secretAccessKey,
            region: settings.region
        )
    }

    public func put(_ bytes: [UInt8], key: String, contentType: String, logger: Logger) async throws {
        let response = try await send(
            "PUT",
            key: key,
            headers: [
                ("Content-Type", contentType), ("Cache-Control", "public, max-age=31536000, immutable"),
                ("Content-Disposition", MediaHeaders.contentDisposition(forKey: key)),
            ],
            body: bytes,
            logger: logger
        )
        guard (200..<300).contains(response.status) else {
            logger.error("s3.put_refused", metadata: ["status": "\(response.status)", "body": "\(snippet(response))"])
            throw APIError.unavailable("Avatar storage")
        }
    }

    public func delete(key: String, logger: Logger) async throws {
        let response = try await send("DELETE", key: key, headers: [], body: nil, logger: logger)
        guard (200..<300).contains(response.status) || response.status == 404 else {
            logger.error(
                "s3.delete_refused",
                metadata: ["status": "\(response.status)", "body": "\(snippet(response))"]
            )
            throw APIError.unavailable("Avatar storage")
        }
    }

    /// Signs and sends one request for the object `key`.
    func send(
        _ method: String,
        key: String,
        headers: [(name: String, value: String)],
        body: [UInt8]?,
        logger: Logger
    ) async throws -> OutboundResponse {
        let request = try signedRequest(method, key: key, headers: headers, body: body, at: Date())
        do {
            return try await http.send(request)
        } catch let error as OutboundError {
            logger.error("s3.unreachable", metadata: ["method": "\(method)", "error": "\(error)"])
            throw APIError.unavailable("Avatar storage")
        }
    }

    /// The request for `key`, with `host`, `x-amz-date`, `x-amz-content-sha256` and `Authorization` added.
    func signedRequest(
        _ method: String,
        key: String,
        headers: [(name: String, value: String)],
        body: [UInt8]?,
        at date: Date
    ) throws -> OutboundRequest {
        let url = settings.objectURL(key: key)
        guard let components = URLComponents(string: url), let host = components.host else {
            throw APIError.unavailable("Avatar storage")
        }
        let hostHeader = components.port.map { "\(host):\($0)" } ?? host
        let payloadHash = SigV4Signer.payloadHash(body ?? [])
        let toSign = SigV4Signer.Request(
            method: method,
            path: components.percentEncodedPath.removingPercentEncoding ?? components.path,
            headers: [("Host", hostHeader), ("X-Amz-Content-SHA256", payloadHash)] + headers,
            payloadHash: payloadHash
        )
        let signed = signer.sign(toSign, at: date).filter { $0.name.lowercased() != "host" }
        return OutboundRequest(method: method, url: url, headers: signed, body: body)
    }

    func snippet(_ response: OutboundResponse) -> String {
        String(decoding: response.body.prefix(300), as: UTF8.self)
    }
}
