import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import Shared
import TestSupport
import Users

@testable import PrivateChat

/// The real Users profile store on the same database, answering PrivateChat's directory questions
/// in-process (the HTTP hop is covered by the end-to-end tests).
struct StoreBackedDirectory: UserDirectory {
    let store: PostgresProfileStore

    func summaries(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: UserSummary] {
        let list = try await store.summaries(ids: Array(ids), logger: logger)
        return Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// What a chat test sees: the app's client and the database behind it.
struct ChatFixture: Sendable {
    let client: any TestClientProtocol
    let database: PostgresClient

    static let alice = Caller(userID: 1, sessionID: "session-alice")
    static let bob = Caller(userID: 2, sessionID: "session-bob")
    static let carol = Caller(userID: 3, sessionID: "session-carol")

    /// Sends a request as `caller` and returns status and decoded JSON.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        as caller: Caller?,
        json: String? = nil
    ) async throws
        -> (status: HTTPResponse.Status, json: Any?)
    {
        try await client.execute(
            uri: uri,
            method: method,
            headers: gatewayHeaders(caller: caller),
            body: json.map { ByteBuffer(string: $0) }
        ) { response in
            (response.status, try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)))
        }
    }

    /// Starts a chat as `caller` with `recipient` and returns its id.
    func startChat(as caller: Caller, with recipient: Int64, text: String? = nil) async throws -> Int64 {
        let body =
            text.map { #"{"recipient_id": \#(recipient), "text": "\#($0)"}"# } ?? #"{"recipient_id": \#(recipient)}"#
        let answer = try await send(.post, "/private/start-chat/", as: caller, json: body)
        guard answer.status == .ok, let object = answer.json as? [String: Any], let id = object["chat_id"] as? Int
        else {
            throw APIError(.internalServerError, detail: "start-chat failed: \(answer)")
        }
        return Int64(id)
    }

    /// Number of rows in a `chat` table.
    func count(_ table: String) async throws -> Int {
        let rows = try await database.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM chat.\(table)"))
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}

/// Runs `body` against PrivateChat's router on a fresh database with users 1 alice, 2 bob, 3 carol.
func withChatApp(_ body: @escaping @Sendable (ChatFixture) async throws -> Void) async throws {
    try await withFreshDatabase(migrators: [UsersMigrations.migrator, ChatMigrations.migrator]) { database in
        let profiles = PostgresProfileStore(client: database, media: MediaLinks(baseURL: "http://media.test"))
        let logger = Logger(label: "test")
        for (id, name) in [(Int64(1), "alice"), (2, "bob"), (3, "carol")] {
            try await profiles.create(Profile(id: id, username: name), logger: logger)
        }
        let router = PrivateChatService.makeRouter(
            store: PostgresChatStore(client: database),
            directory: StoreBackedDirectory(store: profiles),
            internalToken: testInternalToken,
            database: database
        )
        try await Application(router: router).test(.router) { client in
            try await body(ChatFixture(client: client, database: database))
        }
    }
}

/// A ``UserDirectory`` that counts the calls it passes on to the real one.
actor CallCounter {
    private(set) var calls: [Set<Int64>] = []

    func record(_ ids: Set<Int64>) {
        calls.append(ids)
    }
}

struct CountingDirectory: UserDirectory {
    let inner: StoreBackedDirectory
    let counter: CallCounter

    func summaries(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: UserSummary] {
        await counter.record(ids)
        return try await inner.summaries(of: ids, requestID: requestID, logger: logger)
    }
}
