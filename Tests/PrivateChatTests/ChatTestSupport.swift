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

    func publicUsers(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: PublicUser] {
        let list = try await store.publicUsers(ids: Array(ids), logger: logger)
        return Dictionary(list.map { ($0.summary.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// What a chat test sees: the app's client and the database behind it.
struct ChatFixture: Sendable {
    let client: any TestClientProtocol
    let database: PostgresClient

    static let alice = Caller(userID: 1, sessionID: "session-alice")
    static let bob = Caller(userID: 2, sessionID: "session-bob")
    static let carol = Caller(userID: 3, sessionID: "session-carol")

    /// The caller of user `id` (1 alice, 2 bob, 3 carol, 4 dave, 5 erin, 6 frank).
    static func user(_ id: Int64) -> Caller { Caller(userID: id, sessionID: "session-\(id)") }

    /// Sends a request as `caller` and returns status and decoded JSON.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        as caller: Caller?,
        json: String? = nil,
        language: String? = nil
    ) async throws
        -> (status: HTTPResponse.Status, json: Any?)
    {
        try await client.execute(
            uri: uri,
            method: method,
            headers: gatewayHeaders(caller: caller, language: language),
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

    /// Creates a group as `caller` with `members` and returns its id.
    func createGroup(as caller: Caller, title: String = "Team", members: [Int64]) async throws -> Int64 {
        let ids = members.map(String.init).joined(separator: ",")
        let answer = try await send(
            .post,
            "/private/groups/",
            as: caller,
            json: #"{"title": "\#(title)", "member_ids": [\#(ids)]}"#
        )
        guard answer.status == .created, let object = answer.json as? [String: Any], let id = object["chat_id"] as? Int
        else {
            throw APIError(.internalServerError, detail: "create group failed: \(answer)")
        }
        return Int64(id)
    }

    /// The roles of a chat's members by user id, read through `info` as `caller`.
    func roles(in chatID: Int64, as caller: Caller) async throws -> [Int: String] {
        let info = try await send(.get, "/private/\(chatID)/info/", as: caller)
        let members = (info.json as? [String: Any])?["members"] as? [[String: Any]] ?? []
        var roles: [Int: String] = [:]
        for member in members {
            if let id = member["id"] as? Int, let role = member["role"] as? String { roles[id] = role }
        }
        return roles
    }

    /// The types of a chat's messages, oldest first, read as `caller`.
    func messageTypes(in chatID: Int64, as caller: Caller) async throws -> [String] {
        let page = try await send(.get, "/private/\(chatID)/messages?limit=100", as: caller)
        return ((page.json as? [[String: Any]]) ?? []).compactMap { $0["type"] as? String }.reversed()
    }

    /// The single integer `sql` answers.
    func integer(_ sql: String) async throws -> Int {
        let rows = try await database.query(PostgresQuery(unsafeSQL: sql))
        for try await value in rows.decode(Int.self) { return value }
        return 0
    }

    /// Number of rows in a `chat` table.
    func count(_ table: String) async throws -> Int {
        let rows = try await database.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM chat.\(table)"))
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}

/// Runs `body` against PrivateChat's router on a fresh database with users 1 alice, 2 bob, 3 carol,
/// 4 dave, 5 erin and 6 frank, groups of at most `groupMaxMembers`.
func withChatApp(
    groupMaxMembers: Int = 100,
    _ body: @escaping @Sendable (ChatFixture) async throws -> Void
) async throws {
    try await withFreshDatabase(
        migrators: [UsersMigrations.migrator, ChatMigrations.migrator, EventsMigrations.migrator]
    ) { database in
        let profiles = PostgresProfileStore(client: database, media: MediaLinks(baseURL: "http://media.test"))
        let logger = Logger(label: "test")
        for (id, name) in [(Int64(1), "alice"), (2, "bob"), (3, "carol"), (4, "dave"), (5, "erin"), (6, "frank")] {
            try await profiles.create(Profile(id: id, username: name), logger: logger)
        }
        let router = PrivateChatService.makeRouter(
            store: PostgresChatStore(client: database),
            directory: StoreBackedDirectory(store: profiles),
            groupMaxMembers: groupMaxMembers,
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

    func publicUsers(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: PublicUser] {
        await counter.record(ids)
        return try await inner.publicUsers(of: ids, requestID: requestID, logger: logger)
    }
}
