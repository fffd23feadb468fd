import Foundation
import NIOHTTP1
import TestSupport

/// Seed-level steps through the gateway, as a client app performs them.
extension TestHTTP {
    /// Registers `username` with `<username>@example.com` and a fixed password.
    @discardableResult
    func register(_ username: String, email: String? = nil) async throws -> Answer {
        try await send(
            .POST,
            "/auth/register/",
            json: [
                "username": username, "email": email ?? "\(username)@example.com", "password": "correct horse battery",
            ]
        )
    }

    /// Logs in and returns the access token.
    func login(_ username: String) async throws -> String {
        let answer = try await send(
            .POST,
            "/auth/login/",
            json: ["email": "\(username)@example.com", "password": "correct horse battery"]
        )
        guard answer.status == 200, let token = answer.object["token"] as? String else {
            throw E2EFailure("login of \(username) answered \(answer.status): \(answer.text)")
        }
        return token
    }

    /// Registers and logs in; returns the token and the user id found by searching for the user.
    func signUp(_ username: String) async throws -> (token: String, id: Int) {
        let registered = try await register(username)
        guard registered.status == 200 else {
            throw E2EFailure("register \(username): \(registered.status) \(registered.text)")
        }
        let token = try await login(username)
        let found = try await send(.GET, "/users/user/?username=\(username)", token: "Bearer \(token)")
        guard let id = found.array.first?["id"] as? Int else { throw E2EFailure("search \(username): \(found.text)") }
        return (token, id)
    }

    /// Starts a chat with `recipientID` (with `text` as its first message, when given) as the holder of
    /// `token`, and returns its id.
    func startChat(as token: String, with recipientID: Int, text: String? = nil) async throws -> Int {
        var body: [String: any Sendable] = ["recipient_id": recipientID]
        if let text { body["text"] = text }
        let answer = try await send(.POST, "/private/start-chat/", json: body, token: token)
        guard answer.status == 200, let chatID = answer.object["chat_id"] as? Int else {
            throw E2EFailure("start-chat: \(answer.status) \(answer.text)")
        }
        return chatID
    }
}

struct E2EFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
