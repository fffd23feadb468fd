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
        )
    ]

    public static let migrator = Migrator(schema: "chat", migrations: all)
}
