import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import TestSupport
import Testing

@testable import Shared
@testable import Users

/// Avatars in S3 mode, against a real S3-compatible server (moto) that checks every signature.
@Suite struct S3BlobStoreTests {
    let logger = Logger(label: "s3-test")

    @Test func putStoresTheObjectAndDeleteRemovesIt() async throws {
        let settings = try await S3TestServer.shared.makeBucket()
        let store = S3BlobStore(settings: settings)
        try await store.put(TestImages.png, key: "avatars/1/abc.png", contentType: "image/png", logger: logger)
        let stored = try await S3TestServer.signed(
            "GET",
            url: settings.objectURL(key: "avatars/1/abc.png"),
            settings: settings
        )
        #expect(stored.status == 200)
        #expect(stored.body == TestImages.png)
        #expect(stored.header("Content-Type") == "image/png")
        #expect(stored.header("Cache-Control") == "public, max-age=31536000, immutable")
        // S3 keeps and answers with the disposition; nosniff and the CSP need a proxy in front (README).
        #expect(stored.header("Content-Disposition") == "inline; filename=\"abc.png\"")

        try await store.delete(key: "avatars/1/abc.png", logger: logger)
        let gone = try await S3TestServer.signed(
            "GET",
            url: settings.objectURL(key: "avatars/1/abc.png"),
            settings: settings
        )
        #expect(gone.status == 404)
        // Deleting what is not there is not an error.
        try await store.delete(key: "avatars/1/abc.png", logger: logger)
    }

    @Test func aWrongSecretIsRefusedByTheServerAndReportedAs503() async throws {
        var settings = try await S3TestServer.shared.makeBucket()
        settings.secretAccessKey = "not-the-secret"
        let store = S3BlobStore(settings: settings)
        await #expect(throws: APIError.unavailable("Avatar storage")) {
            try await store.put(TestImages.png, key: "avatars/1/x.png", contentType: "image/png", logger: logger)
        }
    }

    @Test func ourSignatureEqualsBotocores() async throws {
        let settings = S3Settings(
            endpoint: "http://127.0.0.1:9000",
            region: "ru-central1",
            bucket: "media",
            accessKeyID: "AKIDEXAMPLE",
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        )
        let store = S3BlobStore(settings: settings)
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        for (method, key, body) in [
            ("PUT", "avatars/42/0123456789abcdef0123456789abcdef.png", TestImages.png),
            ("DELETE", "avatars/42/a b+c~d.gif", [UInt8]()),
        ] {
            let request = try store.signedRequest(
                method,
                key: key,
                headers: method == "PUT" ? [("Content-Type", "image/png"), ("Cache-Control", "public")] : [],
                body: method == "PUT" ? body : nil,
                at: date
            )
            var headers: [String: String] = ["host": "127.0.0.1:9000"]
            for header in request.headers where header.name != "Authorization" { headers[header.name] = header.value }
            let input: [String: Any] = [
                "method": method, "url": request.url, "headers": headers,
                "body_hex": body.map { String(format: "%02x", $0) }.joined(),
                "access_key": settings.accessKeyID, "secret_key": settings.secretAccessKey,
                "region": settings.region, "amz_date": "20231114T221320Z",
            ]
            let output = try await runBotocore(input)
            let ours = request.headers.first { $0.name == "Authorization" }?.value
            #expect(ours == output["authorization"] as? String, "\(method) \(key)")
        }
    }

    @Test func uploadThroughTheRoutesUsesTheBucketAndReplacesThePreviousObject() async throws {
        let settings = try await S3TestServer.shared.makeBucket()
        try await withUsersApp(blobs: S3BlobStore(settings: settings)) { app in
            try await app.seed(id: 1, username: "erin")
            let upload = try await app.upload(MultipartBody(file: TestImages.png))
            #expect(upload.status == .ok, "\(upload.text)")
            let first = try #require(try await app.avatarKey(of: 1))
            #expect(try await app.upload(MultipartBody(file: TestImages.gif)).status == .ok)
            let second = try #require(try await app.avatarKey(of: 1))
            let old = try await S3TestServer.signed("GET", url: settings.objectURL(key: first), settings: settings)
            let new = try await S3TestServer.signed("GET", url: settings.objectURL(key: second), settings: settings)
            #expect(old.status == 404)
            #expect(new.status == 200)
            #expect(new.body == TestImages.gif)
            #expect(new.header("Content-Type") == "image/gif")
        }
    }

    @Test func storageDownIs503AndKeepsThePreviousAvatar() async throws {
        let closed = try freePort()
        let settings = S3Settings(
            endpoint: "http://127.0.0.1:\(closed)",
            bucket: "media",
            accessKeyID: "key",
            secretAccessKey: "secret"
        )
        try await withUsersApp(blobs: S3BlobStore(settings: settings)) { app in
            try await app.seed(id: 1, username: "erin", avatarURL: "https://avatars.yandex.net/get-yapic/1/x")
            let answer = try await app.upload(MultipartBody(file: TestImages.png))
            #expect(answer.status == .serviceUnavailable)
            #expect(answer.detail == "Avatar storage is unavailable, try again later")
            #expect(try await app.avatarKey(of: 1) == nil)
            let search = try await app.send(.get, "/users/user/?username=erin")
            #expect(search.array?.first?["avatar_url"] as? String == "https://avatars.yandex.net/get-yapic/1/x")
        }
    }

    @Test func settingsComeFromTheEnvironment() throws {
        let config = try MessengerConfig(environment: [
            "S3_BUCKET": "media", "S3_ENDPOINT": "https://storage.yandexcloud.net", "S3_REGION": "ru-central1",
            "S3_ACCESS_KEY_ID": "id", "S3_SECRET_ACCESS_KEY": "secret", "S3_PATH_STYLE": "false",
        ])
        let s3 = try #require(config.s3)
        #expect(s3.objectURL(key: "avatars/1/a.png") == "https://media.storage.yandexcloud.net/avatars/1/a.png")
        #expect(s3.publicBaseURL == "https://media.storage.yandexcloud.net")
        #expect(try MessengerConfig(environment: [:]).s3 == nil)
        #expect(throws: ConfigError.self) { try MessengerConfig(environment: ["S3_BUCKET": "media"]) }
        #expect(throws: ConfigError.self) {
            try MessengerConfig(environment: [
                "S3_BUCKET": "m", "S3_ENDPOINT": "ftp://x", "S3_ACCESS_KEY_ID": "i", "S3_SECRET_ACCESS_KEY": "s",
            ])
        }
        let pathStyle = S3Settings(
            endpoint: "http://127.0.0.1:9000/",
            bucket: "media",
            accessKeyID: "i",
            secretAccessKey: "s",
            publicURL: "https://cdn.example.com/"
        )
        #expect(pathStyle.objectURL(key: "a b.png") == "http://127.0.0.1:9000/media/a%20b.png")
        #expect(pathStyle.publicBaseURL == "https://cdn.example.com")
    }

    /// botocore's signature of the request described by `input` (Tests/S3/sign_with_botocore.py).
    ///
    /// The input goes through a file and the output through `ProcessRunner`'s file, not pipes: a daemon
    /// another test starts at the same moment (the S3 server, PostgreSQL) inherits whatever descriptors
    /// are open then, and holding a pipe's write end it kept the helper waiting for an end of input that
    /// never came.
    func runBotocore(_ input: [String: Any]) async throws -> [String: Any] {
        let root = S3TestServer.venv.deletingLastPathComponent().deletingLastPathComponent()
        let inputFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "botocore-\(UUID().uuidString).json"
        )
        try JSONSerialization.data(withJSONObject: input).write(to: inputFile)
        defer { try? FileManager.default.removeItem(at: inputFile) }
        let outcome = try await ProcessRunner.run(
            S3TestServer.venv.appendingPathComponent("bin/python").path,
            [root.appendingPathComponent("Tests/S3/sign_with_botocore.py").path, inputFile.path]
        )
        // stdout and stderr arrive together: the answer is the last line.
        let answer = outcome.output.split(separator: "\n").last.map(String.init) ?? ""
        guard outcome.status == 0,
            let output = try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any]
        else { throw UsersTestFailure(description: "botocore signer failed: \(outcome.output)") }
        return output
    }
}
