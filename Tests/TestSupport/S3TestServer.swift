import Foundation
import Logging
import Messenger
import Shared

/// The test harness's S3-compatible server: `moto_server` from PyPI (installed by `make test` into
/// `.build/s3-venv`), one per test process, with signature checking on.
///
/// At start it creates an IAM user with an access key and an `s3:*` policy, then switches moto's
/// authentication on, so every later request must carry a valid SigV4 signature for that key: a wrong
/// signature is refused with 403, as real S3 refuses it. Each test takes a bucket of its own.
public actor S3TestServer {
    public static let shared = S3TestServer()

    /// Where `make test` installs moto.
    public static var venv: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/s3-venv")
    }

    /// A running server's address and the key it accepts.
    public struct Endpoint: Sendable {
        public var url: String
        public var accessKeyID: String
        public var secretAccessKey: String
    }

    private var endpoint: Task<Endpoint, any Error>?
    private var buckets = 0

    /// S3 settings for a new, empty bucket (path style, region us-east-1).
    public func makeBucket() async throws -> S3Settings {
        let endpoint = try await started()
        buckets += 1
        let settings = S3Settings(
            endpoint: endpoint.url,
            bucket: "avatars-\(getpid())-\(buckets)",
            accessKeyID: endpoint.accessKeyID,
            secretAccessKey: endpoint.secretAccessKey
        )
        let response = try await Self.signed("PUT", url: settings.bucketURL, settings: settings)
        guard response.status == 200 else {
            throw StartupError("moto refused to create a bucket: \(response.status) \(response.text)")
        }
        return settings
    }

    /// Sends a signed request for `url` with `settings`' key, as a test's independent look at the bucket.
    public static func signed(
        _ method: String,
        url: String,
        settings: S3Settings,
        body: [UInt8]? = nil
    ) async throws -> OutboundResponse {
        guard let components = URLComponents(string: url), let host = components.host else {
            throw StartupError("bad URL \(url)")
        }
        let hash = SigV4Signer.payloadHash(body ?? [])
        let signer = SigV4Signer(
            accessKeyID: settings.accessKeyID,
            secretAccessKey: settings.secretAccessKey,
            region: settings.region
        )
        let headers = signer.sign(
            SigV4Signer.Request(
                method: method,
                path: components.path,
                headers: [("Host", components.port.map { "\(host):\($0)" } ?? host), ("X-Amz-Content-SHA256", hash)],
                payloadHash: hash
            ),
            at: Date()
        ).filter { $0.name != "Host" }
        return try await CurlHTTPClient().send(OutboundRequest(method: method, url: url, headers: headers, body: body))
    }

    private func started() async throws -> Endpoint {
        if let endpoint { return try await endpoint.value }
        let task = Task { try await Self.start() }
        endpoint = task
        return try await task.value
    }

    private static func start() async throws -> Endpoint {
        let moto = venv.appendingPathComponent("bin/moto_server").path
        guard FileManager.default.isExecutableFile(atPath: moto) else {
            throw StartupError("\(moto) is missing: run `make s3-venv` (part of `make test`)")
        }
        let port = try freePort()
        let base = "http://127.0.0.1:\(port)"
        // Stops with the test process, however it ends.
        DetachedShell.run(
            "\(DetachedShell.quote(moto)) -H 127.0.0.1 -p \(port) >/dev/null 2>&1 & m=$!; "
                + "while kill -0 \(getpid()) 2>/dev/null && kill -0 $m 2>/dev/null; do sleep 0.5; done; kill $m"
        )
        let http = CurlHTTPClient()
        var ready = false
        for _ in 0..<600 {
            if let answer = try? await http.send(OutboundRequest(method: "GET", url: base + "/moto-api/")),
                answer.status == 200
            {
                ready = true
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard ready else { throw StartupError("moto_server did not start on port \(port)") }

        // While authentication is still off, any signature passes: create the user the tests sign as.
        func iam(_ parameters: [(String, String)]) async throws -> String {
            let answer = try await http.send(
                OutboundRequest(
                    method: "POST",
                    url: base + "/",
                    headers: [
                        ("Content-Type", "application/x-www-form-urlencoded"),
                        (
                            "Authorization",
                            "AWS4-HMAC-SHA256 Credential=AKIASETUP/20260101/us-east-1/iam/aws4_request, "
                                + "SignedHeaders=host, Signature=0"
                        ),
                    ],
                    body: Array(FormEncoding.encode(parameters + [("Version", "2010-05-08")]).utf8)
                )
            )
            guard answer.status == 200 else { throw StartupError("moto IAM: \(answer.status) \(answer.text)") }
            return answer.text
        }
        _ = try await iam([("Action", "CreateUser"), ("UserName", "messenger")])
        let key = try await iam([("Action", "CreateAccessKey"), ("UserName", "messenger")])
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
        _ = try await iam([
            ("Action", "PutUserPolicy"), ("UserName", "messenger"), ("PolicyName", "s3"), ("PolicyDocument", policy),
        ])
        guard let accessKeyID = element("AccessKeyId", in: key), let secret = element("SecretAccessKey", in: key)
        else { throw StartupError("moto IAM gave no access key: \(key)") }
        let reset = try await http.send(
            OutboundRequest(
                method: "POST",
                url: base + "/moto-api/reset-auth",
                headers: [("Content-Type", "text/plain")],
                body: Array("0".utf8)
            )
        )
        guard reset.status == 200 else { throw StartupError("moto reset-auth: \(reset.status) \(reset.text)") }
        return Endpoint(url: base, accessKeyID: accessKeyID, secretAccessKey: secret)
    }

    static func element(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>"),
            let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex)
        else { return nil }
        return String(xml[start.upperBound..<end.lowerBound])
    }
}

extension OutboundResponse {
    /// The body as text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
