import Foundation
import Logging
import PostgresNIO
import Shared

/// Group management: each change runs in one transaction that first locks the group's row, so changes
/// to one group (two admins at once, the owner leaving while a role changes) take turns and the group
/// always has exactly one owner. Each change also writes its system message (``SystemEvent``).
extension PostgresChatStore {
    /// Display names of users for system messages; an unknown id reads "user <id>".
    public typealias Names = [Int64: String]

    /// Creates a group owned by `creatorID` with `memberIDs` as members, and its creation message.
    /// - Returns: the new chat's id.
    public func createGroup(
        title: String,
        creatorID: Int64,
        memberIDs: [Int64],
        names: Names,
        logger: Logger
    ) async throws -> Int64 {
        try await client.inTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO chat.chats (kind, starter_id, title) VALUES ('group', \(creatorID), \(title)) RETURNING id
                """,
                logger: logger
            )
            var chatID: Int64?
            for try await id in rows.decode(Int64.self) { chatID = id }
            guard let chatID else { throw ChatError.chatNotFound }
            try await connection.query(
                """
                INSERT INTO chat.members (chat_id, user_id, role)
                SELECT \(chatID), \(creatorID), 'owner'
                UNION ALL SELECT \(chatID), id, 'member' FROM unnest(\(memberIDs)::bigint[]) AS id
                """,
                logger: logger
            )
            let event = SystemEvent.groupCreated(by: Self.user(creatorID, names), title: title, members: memberIDs)
            try await Self.record(event, in: chatID, by: creatorID, on: connection, logger: logger)
            return chatID
        }
    }

    /// Adds `userID` to the group (by its owner or an admin); nothing changes when they are a member.
    /// New members start with the history read.
    /// - Returns: whether the user was added.
    @discardableResult
    public func addMember(
        chatID: Int64,
        actorID: Int64,
        userID: Int64,
        maxMembers: Int,
        names: Names,
        logger: Logger
    ) async throws -> Bool {
        try await changeGroup(chatID: chatID, actorID: actorID, logger: logger) { connection, group in
            guard GroupRules.canManage(group.actor.role) else { throw ChatError.roleForbids }
            guard group.member(userID) == nil else { return false }
            guard group.members.count < maxMembers else { throw ChatError.groupFull(maxMembers: maxMembers) }
            try await connection.query(
                """
                INSERT INTO chat.members (chat_id, user_id, last_read_message_id)
                SELECT \(chatID), \(userID), COALESCE(max(id), 0) FROM chat.messages WHERE chat_id = \(chatID)
                """,
                logger: logger
            )
            let event = SystemEvent.memberAdded(Self.user(userID, names), by: Self.user(actorID, names))
            try await Self.record(event, in: chatID, by: actorID, on: connection, logger: logger)
            return true
        }
    }

    /// Removes `userID` from the group: the owner removes anyone, an admin removes members. A user
    /// removing themself leaves (``leave(chatID:userID:names:logger:)``).
    public func removeMember(
        chatID: Int64,
        actorID: Int64,
        userID: Int64,
        names: Names,
        logger: Logger
    ) async throws {
        try await changeGroup(chatID: chatID, actorID: actorID, logger: logger) { connection, group in
            guard let target = group.member(userID) else { throw ChatError.memberNotFound(userID) }
            guard GroupRules.canRemove(target.role, as: group.actor.role) else { throw ChatError.roleForbids }
            try await Self.deleteMember(userID, of: chatID, on: connection, logger: logger)
            let event = SystemEvent.memberRemoved(Self.user(userID, names), by: Self.user(actorID, names))
            try await Self.record(event, in: chatID, by: actorID, on: connection, logger: logger)
        }
    }

    /// `userID` leaves the group. When the owner leaves, the oldest admin (else the oldest member)
    /// becomes owner; when the last member leaves, the group is deleted.
    /// - Returns: whether the group was deleted.
    @discardableResult
    public func leave(chatID: Int64, userID: Int64, names: Names, logger: Logger) async throws -> Bool {
        try await changeGroup(chatID: chatID, actorID: userID, logger: logger) { connection, group in
            try await Self.deleteMember(userID, of: chatID, on: connection, logger: logger)
            let remaining = group.members.filter { $0.userID != userID }
            guard !remaining.isEmpty else {
                try await connection.query("DELETE FROM chat.chats WHERE id = \(chatID)", logger: logger)
                return true
            }
            let leaver = Self.user(userID, names)
            try await Self.record(
                SystemEvent.memberLeft(leaver),
                in: chatID,
                by: userID,
                on: connection,
                logger: logger
            )
            if group.actor.role == .owner, let heir = GroupRules.successor(among: remaining) {
                try await Self.setRole(.owner, of: heir.userID, in: chatID, on: connection, logger: logger)
                let event = SystemEvent.ownerChanged(to: Self.user(heir.userID, names), from: leaver)
                try await Self.record(event, in: chatID, by: userID, on: connection, logger: logger)
            }
            return false
        }
    }

    /// Gives `userID` the role `role` (by the owner only). `owner` transfers ownership: the previous
    /// owner becomes an admin.
    public func changeRole(
        chatID: Int64,
        actorID: Int64,
        userID: Int64,
        to role: ChatRole,
        names: Names,
        logger: Logger
    ) async throws {
        try await changeGroup(chatID: chatID, actorID: actorID, logger: logger) { connection, group in
            guard group.actor.role == .owner else { throw ChatError.roleForbids }
            guard let target = group.member(userID) else { throw ChatError.memberNotFound(userID) }
            guard userID != actorID else {
                if role == .owner { return }
                throw ChatError.ownerMustTransfer
            }
            guard target.role != role else { return }
            try await Self.setRole(role, of: userID, in: chatID, on: connection, logger: logger)
            let event: SystemEvent
            if role == .owner {
                try await Self.setRole(.admin, of: actorID, in: chatID, on: connection, logger: logger)
                event = .ownerChanged(to: Self.user(userID, names), from: Self.user(actorID, names))
            } else {
                event = .roleChanged(Self.user(userID, names), to: role, by: Self.user(actorID, names))
            }
            try await Self.record(event, in: chatID, by: actorID, on: connection, logger: logger)
        }
    }

    /// Renames the group (by its owner or an admin).
    public func rename(chatID: Int64, actorID: Int64, title: String, names: Names, logger: Logger) async throws {
        try await changeGroup(chatID: chatID, actorID: actorID, logger: logger) { connection, group in
            guard GroupRules.canManage(group.actor.role) else { throw ChatError.roleForbids }
            let old = group.chat.title ?? ""
            guard old != title else { return }
            try await connection.query(
                "UPDATE chat.chats SET title = \(title) WHERE id = \(chatID)",
                logger: logger
            )
            let event = SystemEvent.titleChanged(to: title, from: old, by: Self.user(actorID, names))
            try await Self.record(event, in: chatID, by: actorID, on: connection, logger: logger)
        }
    }

    /// Deletes a chat with all its messages: a group by its owner, a private chat by either member.
    public func deleteChat(chatID: Int64, actorID: Int64, logger: Logger) async throws {
        try await client.inTransaction(logger: logger) { connection in
            let group = try await Self.lockedChat(chatID, actorID: actorID, on: connection, logger: logger)
            guard group.chat.kind == .private || group.actor.role == .owner else { throw ChatError.roleForbids }
            try await connection.query("DELETE FROM chat.chats WHERE id = \(chatID)", logger: logger)
        }
    }

    // MARK: - Parts

    /// A chat locked for a change, its members, and the member making it.
    struct LockedChat {
        var chat: Chat
        var members: [ChatMember]
        var actor: ChatMember

        func member(_ userID: Int64) -> ChatMember? { members.first { $0.userID == userID } }
    }

    /// Runs `change` in a transaction on the locked group `chatID`, for its member `actorID`.
    /// - Throws: ``ChatError/chatNotFound``, ``ChatError/notAMember``, ``ChatError/notAGroup``, or what
    ///   `change` throws (and then nothing is changed).
    func changeGroup<Result: Sendable>(
        chatID: Int64,
        actorID: Int64,
        logger: Logger,
        _ change: @Sendable (PostgresConnection, LockedChat) async throws -> Result
    ) async throws -> Result {
        try await client.inTransaction(logger: logger) { connection in
            let group = try await Self.lockedChat(chatID, actorID: actorID, on: connection, logger: logger)
            guard group.chat.kind == .group else { throw ChatError.notAGroup }
            return try await change(connection, group)
        }
    }

    /// The chat `chatID`, locked until the transaction ends, with its members.
    static func lockedChat(
        _ chatID: Int64,
        actorID: Int64,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> LockedChat {
        let chats = try await connection.query(
            """
            SELECT id, kind, starter_id, recipient_id, title, created_at FROM chat.chats
            WHERE id = \(chatID) FOR UPDATE
            """,
            logger: logger
        )
        var chat: Chat?
        for try await row in chats {
            var columns = ColumnReader(row)
            chat = try Chat(reading: &columns)
        }
        guard let chat else { throw ChatError.chatNotFound }
        let rows = try await connection.query(
            """
            SELECT user_id, role, last_read_message_id, joined_at FROM chat.members
            WHERE chat_id = \(chatID) ORDER BY joined_at, user_id
            """,
            logger: logger
        )
        var members: [ChatMember] = []
        for try await row in rows {
            var columns = ColumnReader(row)
            if let member = try member(reading: &columns) { members.append(member) }
        }
        guard let actor = members.first(where: { $0.userID == actorID }) else { throw ChatError.notAMember }
        return LockedChat(chat: chat, members: members, actor: actor)
    }

    static func deleteMember(
        _ userID: Int64,
        of chatID: Int64,
        on connection: PostgresConnection,
        logger: Logger
    )
        async throws
    {
        try await connection.query(
            "DELETE FROM chat.members WHERE chat_id = \(chatID) AND user_id = \(userID)",
            logger: logger
        )
    }

    static func setRole(
        _ role: ChatRole,
        of userID: Int64,
        in chatID: Int64,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        try await connection.query(
            "UPDATE chat.members SET role = \(role.rawValue) WHERE chat_id = \(chatID) AND user_id = \(userID)",
            logger: logger
        )
    }

    static func record(
        _ event: SystemEvent,
        in chatID: Int64,
        by actorID: Int64,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        try await insertMessage(
            on: connection,
            chatID: chatID,
            ownerID: actorID,
            text: event.text,
            event: event.kind,
            data: event.data,
            logger: logger
        )
    }

    static func user(_ id: Int64, _ names: Names) -> (id: Int64, name: String) {
        (id, names[id] ?? "user \(id)")
    }
}
