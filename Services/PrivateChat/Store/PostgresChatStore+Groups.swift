import Foundation
import Logging
import PostgresNIO
import Shared

/// Group management: each change runs in one transaction that first locks the group's row, so changes
/// to one group (two admins at once, the owner leaving while a role changes) take turns and the group
/// always has exactly one owner. Each change also writes its system message (``SystemEvent``) and appends
/// its events to the outbox (``ChatEvents``), in the order a client applies them.
extension PostgresChatStore {
    /// The summaries of the users a change names, fetched from Users before its transaction: their names
    /// in system messages (an unknown id reads "user <id>") and their summaries in events (an unknown id
    /// is ``UserSummary/missing(_:)``).
    public typealias Names = [Int64: UserSummary]

    /// Creates a group owned by `creatorID` with `memberIDs` as members, and its creation message; events:
    /// `CHAT_CREATE` and the message's `MESSAGE_CREATE`, to every member.
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
            let stored = try await Self.record(event, in: chatID, by: creatorID, on: connection, logger: logger)
            var events = try await Self.chatCreated(
                chatID,
                for: stored.memberIDs,
                names: names,
                on: connection,
                logger: logger
            )
            events.append(ChatEvents.messageCreated(stored, owner: Self.summary(creatorID, names)))
            try await connection.append(events, logger: logger)
            return chatID
        }
    }

    /// Adds `userID` to the group (by its owner or an admin); nothing changes when they are a member.
    /// New members start with the history read. Events: `CHAT_MEMBER_ADD` to every member (the new one
    /// too), `CHAT_CREATE` to the new member, then the system message's `MESSAGE_CREATE`.
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
            let rows = try await connection.query(
                """
                INSERT INTO chat.members (chat_id, user_id, last_read_message_id)
                SELECT \(chatID), \(userID), COALESCE(max(id), 0) FROM chat.messages WHERE chat_id = \(chatID)
                RETURNING role, last_read_message_id
                """,
                logger: logger
            )
            var member: MemberOutput?
            for try await (role, marker) in rows.decode((String, Int64).self) {
                member = MemberOutput(summary: Self.summary(userID, names), role: role, lastReadMessageID: marker)
            }
            guard let member else { throw ChatError.chatNotFound }
            let event = SystemEvent.memberAdded(Self.user(userID, names), by: Self.user(actorID, names))
            let stored = try await Self.record(event, in: chatID, by: actorID, on: connection, logger: logger)
            var events = [ChatEvents.memberAdded(member, to: chatID, recipients: stored.memberIDs)]
            events += try await Self.chatCreated(chatID, for: [userID], names: names, on: connection, logger: logger)
            events.append(ChatEvents.messageCreated(stored, owner: Self.summary(actorID, names)))
            try await connection.append(events, logger: logger)
            return true
        }
    }

    /// Removes `userID` from the group: the owner removes anyone, an admin removes members. A user
    /// removing themself leaves (``leave(chatID:userID:names:logger:)``). Events: `CHAT_MEMBER_REMOVE` to
    /// the members before (the removed one too), then the system message's `MESSAGE_CREATE` to the rest.
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
            let stored = try await Self.record(event, in: chatID, by: actorID, on: connection, logger: logger)
            try await connection.append(
                [
                    ChatEvents.memberRemoved(userID, from: chatID, recipients: group.members.map(\.userID)),
                    ChatEvents.messageCreated(stored, owner: Self.summary(actorID, names)),
                ],
                logger: logger
            )
        }
    }

    /// `userID` leaves the group. When the owner leaves, the oldest admin (else the oldest member)
    /// becomes owner; when the last member leaves, the group is deleted. Events: `CHAT_MEMBER_REMOVE` to
    /// the members before (the leaver too); then `CHAT_DELETE` to the leaver if the group is deleted, else
    /// the system message's `MESSAGE_CREATE` to the rest and, if the owner left, `CHAT_UPDATE` and the
    /// ownership message's `MESSAGE_CREATE`.
    /// - Returns: whether the group was deleted.
    @discardableResult
    public func leave(chatID: Int64, userID: Int64, names: Names, logger: Logger) async throws -> Bool {
        try await changeGroup(chatID: chatID, actorID: userID, logger: logger) { connection, group in
            try await Self.deleteMember(userID, of: chatID, on: connection, logger: logger)
            let before = group.members.map(\.userID)
            var events = [ChatEvents.memberRemoved(userID, from: chatID, recipients: before)]
            let remaining = group.members.filter { $0.userID != userID }
            guard !remaining.isEmpty else {
                try await connection.query("DELETE FROM chat.chats WHERE id = \(chatID)", logger: logger)
                events.append(ChatEvents.chatDeleted(chatID, recipients: before))
                try await connection.append(events, logger: logger)
                return true
            }
            let leaver = Self.user(userID, names)
            let left = try await Self.record(
                SystemEvent.memberLeft(leaver),
                in: chatID,
                by: userID,
                on: connection,
                logger: logger
            )
            events.append(ChatEvents.messageCreated(left, owner: Self.summary(userID, names)))
            if group.actor.role == .owner, let heir = GroupRules.successor(among: remaining) {
                try await Self.setRole(.owner, of: heir.userID, in: chatID, on: connection, logger: logger)
                let event = SystemEvent.ownerChanged(to: Self.user(heir.userID, names), from: leaver)
                let stored = try await Self.record(event, in: chatID, by: userID, on: connection, logger: logger)
                events.append(ChatEvents.chatUpdated(group.chat, title: group.chat.title, after: stored))
                events.append(ChatEvents.messageCreated(stored, owner: Self.summary(userID, names)))
            }
            try await connection.append(events, logger: logger)
            return false
        }
    }

    /// Gives `userID` the role `role` (by the owner only). `owner` transfers ownership: the previous
    /// owner becomes an admin. Events (when a role changed): `CHAT_UPDATE`, then the system message's
    /// `MESSAGE_CREATE`, to every member.
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
            let stored = try await Self.record(event, in: chatID, by: actorID, on: connection, logger: logger)
            try await connection.append(
                [
                    ChatEvents.chatUpdated(group.chat, title: group.chat.title, after: stored),
                    ChatEvents.messageCreated(stored, owner: Self.summary(actorID, names)),
                ],
                logger: logger
            )
        }
    }

    /// Renames the group (by its owner or an admin). Events (when the title changed): `CHAT_UPDATE`, then
    /// the system message's `MESSAGE_CREATE`, to every member.
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
            let stored = try await Self.record(event, in: chatID, by: actorID, on: connection, logger: logger)
            try await connection.append(
                [
                    ChatEvents.chatUpdated(group.chat, title: title, after: stored),
                    ChatEvents.messageCreated(stored, owner: Self.summary(actorID, names)),
                ],
                logger: logger
            )
        }
    }

    /// Deletes a chat with all its messages: a group by its owner, a private chat by either member. Event:
    /// `CHAT_DELETE` to every member.
    public func deleteChat(chatID: Int64, actorID: Int64, logger: Logger) async throws {
        try await client.inTransaction(logger: logger) { connection in
            let group = try await Self.lockedChat(chatID, actorID: actorID, on: connection, logger: logger)
            guard group.chat.kind == .private || group.actor.role == .owner else { throw ChatError.roleForbids }
            try await connection.query("DELETE FROM chat.chats WHERE id = \(chatID)", logger: logger)
            let event = ChatEvents.chatDeleted(chatID, recipients: group.members.map(\.userID))
            try await connection.append([event], logger: logger)
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

    /// Stores the system message of `event`, made by `actorID`.
    static func record(
        _ event: SystemEvent,
        in chatID: Int64,
        by actorID: Int64,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws -> StoredMessage {
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

    /// A user as a system message names them.
    static func user(_ id: Int64, _ names: Names) -> (id: Int64, name: String) {
        (id, names[id]?.username ?? "user \(id)")
    }

    /// A user as an event shows them.
    static func summary(_ id: Int64, _ names: Names) -> UserSummary {
        names[id] ?? .missing(id)
    }
}
