import Shared

/// The `chat` schema's migrations, append-only.
public enum ChatMigrations {
    public static let all: [Migration] = [
        Migration(
            1,
            "create_chats_and_messages",
            [
                """
                CREATE TABLE chat.chats (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    starter_id bigint NOT NULL,
                    recipient_id bigint NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    last_activity_at timestamptz NOT NULL DEFAULT now(),
                    CHECK (starter_id <> recipient_id)
                )
                """,
                "CREATE UNIQUE INDEX chats_pair_key ON chat.chats (LEAST(starter_id, recipient_id), GREATEST(starter_id, recipient_id))",
                "CREATE INDEX chats_starter_idx ON chat.chats (starter_id, last_activity_at DESC)",
                "CREATE INDEX chats_recipient_idx ON chat.chats (recipient_id, last_activity_at DESC)",
                """
                CREATE TABLE chat.messages (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    chat_id bigint NOT NULL REFERENCES chat.chats (id) ON DELETE CASCADE,
                    owner_id bigint NOT NULL,
                    text text NOT NULL,
                    answer_id bigint REFERENCES chat.messages (id) ON DELETE SET NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX messages_chat_idx ON chat.messages (chat_id, id DESC)",
            ]
        ),
        Migration(
            2,
            "groups_members_and_message_types",
            [
                // A chat is private (two users, seed 003) or a group (a title, members with roles).
                "ALTER TABLE chat.chats ADD COLUMN kind text NOT NULL DEFAULT 'private'",
                "ALTER TABLE chat.chats ADD COLUMN title text",
                "ALTER TABLE chat.chats ALTER COLUMN recipient_id DROP NOT NULL",
                """
                ALTER TABLE chat.chats ADD CONSTRAINT chats_kind_shape CHECK (
                    (kind = 'private' AND recipient_id IS NOT NULL AND title IS NULL)
                    OR (kind = 'group' AND recipient_id IS NULL AND title IS NOT NULL)
                )
                """,
                // One private chat per pair; groups are not pairs.
                "DROP INDEX chat.chats_pair_key",
                """
                CREATE UNIQUE INDEX chats_pair_key ON chat.chats
                    (LEAST(starter_id, recipient_id), GREATEST(starter_id, recipient_id)) WHERE kind = 'private'
                """,
                // Membership of both kinds, with each member's role and read marker.
                """
                CREATE TABLE chat.members (
                    chat_id bigint NOT NULL REFERENCES chat.chats (id) ON DELETE CASCADE,
                    user_id bigint NOT NULL,
                    role text NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member')),
                    joined_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                    last_read_message_id bigint NOT NULL DEFAULT 0,
                    PRIMARY KEY (chat_id, user_id)
                )
                """,
                "CREATE INDEX members_user_idx ON chat.members (user_id, chat_id)",
                // The members of existing chats are their pairs. Nobody had a read marker before: the
                // history a user already had counts as read, so no chat starts with a flood of unread.
                """
                INSERT INTO chat.members (chat_id, user_id, role, joined_at, last_read_message_id)
                SELECT c.id, pair.user_id, 'member', c.created_at,
                       COALESCE((SELECT max(m.id) FROM chat.messages m WHERE m.chat_id = c.id), 0)
                FROM chat.chats c CROSS JOIN LATERAL (VALUES (c.starter_id), (c.recipient_id)) AS pair (user_id)
                """,
                // Messages gain a type (default, or the change a system message records), its structured
                // data, an edit time, and the ids of the members they mention.
                "ALTER TABLE chat.messages ADD COLUMN type text NOT NULL DEFAULT 'default'",
                "ALTER TABLE chat.messages ADD COLUMN data jsonb",
                "ALTER TABLE chat.messages ADD COLUMN edited_at timestamptz",
                "ALTER TABLE chat.messages ADD COLUMN mentions bigint[] NOT NULL DEFAULT '{}'",
            ]
        ),
        Migration(
            3,
            "message_nonces",
            [
                // The client's `nonce` of a message (optional): a retried send with the same nonce by the
                // same author finds the first message instead of storing a second one.
                "ALTER TABLE chat.messages ADD COLUMN nonce text",
                "CREATE UNIQUE INDEX messages_owner_nonce_key ON chat.messages (owner_id, nonce) WHERE nonce IS NOT NULL",
            ]
        ),
    ]

    public static let migrator = Migrator(schema: "chat", migrations: all)
}
