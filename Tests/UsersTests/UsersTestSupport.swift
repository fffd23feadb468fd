import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import Shared
import TestSupport

@testable import Users

/// An answer of the Users router as the test sees it.
struct UsersAnswer: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: Data

    /// The body parsed with `JSONSerialization`.
    var json: Any? { try? JSONSerialization.jsonObject(with: body) }
    /// The body as a JSON object.
    var object: [String: Any]? { json as? [String: Any] }
    /// The body as a JSON array of objects.
    var array: [[String: Any]]? { json as? [[String: Any]] }
    /// `detail` of an error body.
    var detail: String? { object?["detail"] as? String }
    /// The body as text.
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// What a Users test sees: the router's client, the real profile store and the database behind it.
struct UsersFixture: Sendable {
    let client: any TestClientProtocol
    let database: PostgresClient
    let store: PostgresProfileStore
    /// Where uploaded avatars land (a fresh temporary directory).
    let mediaDirectory: URL
    let logger = Logger(label: "users-test")

    /// Base URL of uploaded avatars in these tests.
    static let mediaBaseURL = "http://media.test/media"

    /// A caller as the gateway forwards it.
    static let caller = Caller(userID: 1, sessionID: "s")

    /// Sends a request; by default with the internal token and the caller, as the gateway would.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        headers: HTTPFields = gatewayHeaders(caller: UsersFixture.caller, language: nil),
        body: String? = nil
    ) async throws -> UsersAnswer {
        try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        { response in
            UsersAnswer(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
        }
    }

    /// `POST /users/upload-avatar/` with `form`, as `caller` (the fixture's caller by default).
    func upload(_ form: MultipartBody, caller: Caller = UsersFixture.caller) async throws -> UsersAnswer {
        var headers = gatewayHeaders(caller: caller, language: nil)
        headers[.contentType] = form.contentType
        return try await client.execute(
            uri: "/users/upload-avatar/",
            method: .post,
            headers: headers,
            body: ByteBuffer(bytes: form.bytes)
        ) { response in
            UsersAnswer(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
        }
    }

    /// The stored avatar key of profile `id`.
    func avatarKey(of id: Int64) async throws -> String? {
        let rows = try await database.query("SELECT avatar_key FROM users.profiles WHERE id = \(id)", logger: logger)
        for try await key in rows.decode(String?.self) { return key }
        return nil
    }

    /// The relative paths of all files under the media directory.
    func storedFiles() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: mediaDirectory.path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(
                atPath: mediaDirectory.appendingPathComponent(path).path,
                isDirectory: &isDirectory
            )
            if exists, !isDirectory.boolValue { files.append(path) }
        }
        return files.sorted()
    }

    /// `POST /internal/profiles` with `profile` as JSON, with the internal token and no caller.
    func createProfile(_ profile: NewProfile) async throws -> UsersAnswer {
        let json = String(decoding: try JSONEncoder().encode(profile), as: UTF8.self)
        return try await send(
            .post,
            "/internal/profiles",
            headers: gatewayHeaders(caller: nil, language: nil),
            body: json
        )
    }

    /// Stores a profile directly through the store.
    func seed(id: Int64, username: String, avatarURL: String? = nil) async throws {
        try await store.create(Profile(id: id, username: username, avatarURL: avatarURL), logger: logger)
    }

    /// Number of rows in `users.profiles`.
    func profileCount() async throws -> Int {
        try await integer("SELECT count(*) FROM users.profiles")
    }

    /// The single integer `sql` answers.
    func integer(_ sql: String) async throws -> Int {
        let rows = try await database.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        for try await value in rows.decode(Int.self) { return value }
        throw UsersTestFailure(description: "no row for \(sql)")
    }
}

/// A test precondition that did not hold.
struct UsersTestFailure: Error, CustomStringConvertible {
    var description: String
}

/// PrivateChat's answer about who shares a chat with whom, as a test sets it (`nil`: unreachable).
struct FixedContacts: ContactDirectory {
    var contacts: [Int64: [Int64]]?

    func contacts(of userID: Int64, requestID: String, logger: Logger) async throws -> [Int64] {
        guard let contacts else { throw APIError.unavailable("PrivateChat") }
        return contacts[userID] ?? []
    }
}

/// Runs `body` against the Users router on a fresh, migrated database, with avatars in a fresh
/// temporary directory (or in `blobs` when given) and `contacts` as PrivateChat's answers.
func withUsersApp(
    blobs: (any BlobStore)? = nil,
    avatarMaxSize: Int = 64 * 1024,
    contacts: FixedContacts = FixedContacts(contacts: [:]),
    _ body: @escaping @Sendable (UsersFixture) async throws -> Void
) async throws {
    let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("users-media-\(UUID())")
    defer { try? FileManager.default.removeItem(at: directory) }
    try await withFreshDatabase(migrators: [UsersMigrations.migrator, EventsMigrations.migrator]) { database in
        let media = MediaLinks(baseURL: UsersFixture.mediaBaseURL)
        let store = PostgresProfileStore(client: database, media: media)
        let storage: any BlobStore = blobs ?? LocalBlobStore(directory: directory.path)
        let router = makeUsersRouter(
            store: store,
            blobs: storage,
            media: media,
            contacts: contacts,
            avatarMaxSize: avatarMaxSize,
            database
        )
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await body(UsersFixture(client: client, database: database, store: store, mediaDirectory: directory))
        }
    }
}

/// The Users router with `blobs` (opened from an existential by the call).
func makeUsersRouter(
    store: PostgresProfileStore,
    blobs: some BlobStore,
    media: MediaLinks,
    contacts: FixedContacts,
    avatarMaxSize: Int,
    _ database: PostgresClient
) -> Router<MessengerRequestContext> {
    UsersService.makeRouter(
        store: store,
        blobs: blobs,
        media: media,
        contacts: contacts,
        avatarMaxSize: avatarMaxSize,
        internalToken: testInternalToken,
        database: database
    )
}
