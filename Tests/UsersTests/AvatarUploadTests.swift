import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import Shared
@testable import Users

@Suite struct AvatarUploadTests {
    @Test func uploadStoresThePictureAndSearchShowsItsURL() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            let answer = try await app.upload(MultipartBody(file: TestImages.png))
            #expect(answer.status == .ok)
            #expect(answer.object?["detail"] as? String == "success")
            let url = try #require(answer.object?["avatar_url"] as? String)
            let key = try #require(try await app.avatarKey(of: 1))
            #expect(url == UsersFixture.mediaBaseURL + "/" + key)
            // Unguessable: the user's folder, 32 random hex digits, the real format's extension.
            #expect(key.wholeMatch(of: /avatars\/1\/[0-9a-f]{32}\.png/) != nil)
            #expect(app.storedFiles() == [key])
            let stored = try Data(contentsOf: app.mediaDirectory.appendingPathComponent(key))
            #expect(Array(stored) == TestImages.png)

            let search = try await app.send(.get, "/users/user/?username=alice")
            #expect(search.array?.first?["avatar_url"] as? String == url)
        }
    }

    @Test func aNewAvatarReplacesAndDeletesThePreviousOne() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice", avatarURL: "https://avatars.yandex.net/get-yapic/1/x")
            #expect(try await app.upload(MultipartBody(file: TestImages.png)).status == .ok)
            let first = try #require(try await app.avatarKey(of: 1))
            let second = try await app.upload(
                MultipartBody(filename: "me.jpg", fileType: "image/jpeg", file: TestImages.jpeg)
            )
            #expect(second.status == .ok)
            let key = try #require(try await app.avatarKey(of: 1))
            #expect(key != first)
            #expect(key.hasSuffix(".jpg"))
            #expect(app.storedFiles() == [key])
            // The uploaded picture replaces the outside (Yandex) one.
            let search = try await app.send(.get, "/users/user/?username=alice")
            #expect(search.array?.first?["avatar_url"] as? String == UsersFixture.mediaBaseURL + "/" + key)
        }
    }

    @Test func everyAcceptedFormatIsStoredWithItsOwnExtension() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            for (image, ext) in [
                (TestImages.png, "png"), (TestImages.jpeg, "jpg"), (TestImages.gif, "gif"), (TestImages.webp, "webp"),
            ] {
                // The declared type and name are ignored: only the content decides.
                let answer = try await app.upload(
                    MultipartBody(filename: "file.bin", fileType: "application/octet-stream", file: image)
                )
                #expect(answer.status == .ok, "\(ext)")
                #expect(try await app.avatarKey(of: 1)?.hasSuffix("." + ext) == true, "\(ext)")
            }
            #expect(app.storedFiles().count == 1)
        }
    }

    @Test func aFileThatIsNotAPictureIsRefusedAndChangesNothing() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            #expect(try await app.upload(MultipartBody(file: TestImages.png)).status == .ok)
            let before = try await app.avatarKey(of: 1)
            let cases: [[UInt8]] = [
                Array("<svg xmlns='http://www.w3.org/2000/svg'></svg>".utf8),
                Array("#!/bin/sh\necho hi\n".utf8),
                Array("RIFF0000WAVEfmt ".utf8),
                Array(TestImages.png.prefix(4)),
            ]
            for bytes in cases {
                let answer = try await app.upload(
                    MultipartBody(filename: "avatar.png", fileType: "image/png", file: bytes)
                )
                #expect(answer.status == .unsupportedMediaType)
                #expect(answer.detail == "The avatar must be a PNG, JPEG, WebP or GIF image")
            }
            #expect(try await app.avatarKey(of: 1) == before)
            #expect(app.storedFiles().count == 1)
        }
    }

    @Test func aPictureOverTheLimitIs413AndChangesNothing() async throws {
        try await withUsersApp(avatarMaxSize: 64 * 1024) { app in
            try await app.seed(id: 1, username: "alice")
            let limit = try await app.upload(MultipartBody(file: TestImages.padded(TestImages.png, to: 64 * 1024)))
            #expect(limit.status == .ok)
            let before = try await app.avatarKey(of: 1)
            for size in [64 * 1024 + 1, 200 * 1024] {
                let answer = try await app.upload(MultipartBody(file: TestImages.padded(TestImages.png, to: size)))
                #expect(answer.status == .contentTooLarge, "\(size)")
                #expect(answer.detail == "The avatar must be at most 65536 bytes", "\(size)")
            }
            #expect(try await app.avatarKey(of: 1) == before)
            #expect(app.storedFiles().count == 1)
        }
    }

    @Test func malformedUploadsAreClearClientErrors() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            let json = try await app.send(.post, "/users/upload-avatar/", body: #"{"avatar_file":"x"}"#)
            #expect(json.status == .unsupportedMediaType)
            #expect(json.detail == "Send the avatar as multipart/form-data in the field 'avatar_file'")

            let otherField = try await app.upload(MultipartBody(field: "file", file: TestImages.png))
            #expect(otherField.status == .unprocessableContent)
            #expect(otherField.detail == "Field 'avatar_file' with a file is required")

            let empty = try await app.upload(MultipartBody(file: []))
            #expect(empty.status == .unprocessableContent)

            var headers = gatewayHeaders(caller: UsersFixture.caller)
            headers[.contentType] = "multipart/form-data; boundary=abc"
            let garbage = try await app.client.execute(
                uri: "/users/upload-avatar/",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: "not multipart at all")
            ) { $0.status }
            #expect(garbage == .badRequest)

            let russian = try await app.client.execute(
                uri: "/users/upload-avatar/",
                method: .post,
                headers: gatewayHeaders(caller: UsersFixture.caller, language: "ru"),
                body: ByteBuffer(string: "{}")
            ) { String(buffer: $0.body) }
            #expect(russian.contains("в поле 'avatar_file'"))
            #expect(try await app.avatarKey(of: 1) == nil)
            #expect(app.storedFiles().isEmpty)
        }
    }

    /// The finding that stopped the process: a part header name with a byte of 0x80 or more made
    /// multipart-kit 4.7.1 read out of range and trap. Our parser refuses it with 400, and the service
    /// goes on answering.
    @Test func aNonASCIIPartHeaderNameIs400AndTheServiceLivesOn() async throws {
        try await withUsersApp { app in
            try await app.seed(id: 1, username: "alice")
            var headers = gatewayHeaders(caller: UsersFixture.caller)
            headers[.contentType] = "multipart/form-data; boundary=B"
            let bodies: [[UInt8]] = [
                Array("--B\r\n".utf8) + [0xC3, 0xA9] + Array(": x\r\n\r\nx\r\n--B--\r\n".utf8),
                Array("--B\r\nContent-Disposition: form-data; name=\"avatar_file\"\r\n".utf8) + [0xFF, 0x3A, 0x20]
                    + Array("x\r\n\r\nx\r\n--B--\r\n".utf8),
                Array("--B\r\nX\u{0}Y: z\r\n\r\nx\r\n--B--\r\n".utf8),
            ]
            for body in bodies {
                let answer = try await app.client.execute(
                    uri: "/users/upload-avatar/",
                    method: .post,
                    headers: headers,
                    body: ByteBuffer(bytes: body)
                ) { ($0.status, String(buffer: $0.body)) }
                #expect(answer.0 == .badRequest)
                #expect(answer.1.contains("Malformed multipart body: a part header is malformed"))
            }
            let after = try await app.upload(MultipartBody(file: TestImages.png))
            #expect(after.status == .ok)
        }
    }

    @Test func uploadWithoutAProfileIs404AndLeavesNoFile() async throws {
        try await withUsersApp { app in
            let answer = try await app.upload(
                MultipartBody(file: TestImages.png),
                caller: Caller(userID: 77, sessionID: "s")
            )
            #expect(answer.status == .notFound)
            #expect(app.storedFiles().isEmpty)
        }
    }

    @Test func uploadNeedsACaller() async throws {
        try await withUsersApp { app in
            var headers = gatewayHeaders(caller: nil)
            let form = MultipartBody(file: TestImages.png)
            headers[.contentType] = form.contentType
            let status = try await app.client.execute(
                uri: "/users/upload-avatar/",
                method: .post,
                headers: headers,
                body: ByteBuffer(bytes: form.bytes)
            ) { $0.status }
            #expect(status == .unauthorized)
            #expect(app.storedFiles().isEmpty)
        }
    }

    @Test func formatsAreRecognisedByContent() {
        #expect(ImageFormat(sniffing: TestImages.png) == .png)
        #expect(ImageFormat(sniffing: TestImages.jpeg) == .jpeg)
        #expect(ImageFormat(sniffing: TestImages.gif) == .gif)
        #expect(ImageFormat(sniffing: TestImages.webp) == .webp)
        #expect(ImageFormat(sniffing: Array("GIF88a".utf8)) == nil)
        #expect(ImageFormat(sniffing: [UInt8]()) == nil)
        #expect(ImageFormat(sniffing: Array("RIFF\0\0\0\0AVI ".utf8)) == nil)
    }

    @Test func localStoreRefusesKeysThatLeaveItsDirectory() throws {
        let store = LocalBlobStore(directory: "/tmp/media-root")
        for key in ["../secrets/x", "avatars/../../x", "/etc/passwd", "a//b", "", "a/./b"] {
            #expect(throws: APIError.self, "\(key)") { try store.url(for: key) }
        }
        #expect(try store.url(for: "avatars/1/x.png").path == "/tmp/media-root/avatars/1/x.png")
    }
}
