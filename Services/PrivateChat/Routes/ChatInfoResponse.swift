import Foundation
import Hummingbird
import Logging
import Shared

/// The info object of a chat (`GET /private/{chat_id}/info/`, and the answer of every call that creates
/// or changes a group): seed 003's shape for a private chat, the group's title, owner and members for a
/// group; each member with presence, role and read marker. One call to Users for all names.
enum ChatInfoResponse {
    static func make(
        chat: Chat,
        members: [ChatMember],
        directory: some UserDirectory,
        requestID: String,
        logger: Logger
    ) async throws -> Response {
        var ids = Set(members.map(\.userID))
        ids.insert(chat.starterID)
        if let recipient = chat.recipientID { ids.insert(recipient) }
        let users = try await directory.publicUsers(of: ids, requestID: requestID, logger: logger)
        let user = { (id: Int64) in users[id] ?? .offline(.missing(id)) }
        let summary = { (id: Int64) in user(id).summary }
        let memberOutputs = members.map {
            MemberOutput(
                summary: summary($0.userID),
                role: $0.role.rawValue,
                lastReadMessageID: $0.lastReadMessageID,
                presence: user($0.userID)
            )
        }
        switch chat.kind {
        case .private:
            return try ChatInfoOutput(
                id: chat.id,
                chatStarter: summary(chat.starterID),
                chatRecipient: summary(chat.recipientID ?? 0),
                members: memberOutputs
            ).response()
        case .group:
            return try GroupInfoOutput(
                id: chat.id,
                chatID: chat.id,
                title: chat.title ?? "",
                owner: members.first { $0.role == .owner }.map { summary($0.userID) },
                members: memberOutputs,
                createdAt: UTCTimestamp.iso8601(chat.createdAt)
            ).response()
        }
    }
}
