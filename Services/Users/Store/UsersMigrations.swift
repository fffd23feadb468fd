import Shared

/// The `users` schema's migrations, append-only.
public enum UsersMigrations {
    public static let all: [Migration] = [
        Migration(
            1,
            "create_profiles",
            [
                """
                CREATE TABLE users.profiles (
                    id bigint PRIMARY KEY CHECK (id > 0),
                    username text NOT NULL,
                    description text NOT NULL DEFAULT '',
                    status text NOT NULL DEFAULT '',
                    avatar_url text,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE UNIQUE INDEX profiles_username_key ON users.profiles (lower(username))",
            ]
        ),
        Migration(
            2,
            "add_uploaded_avatars",
            [
                // The key of an uploaded picture; its URL is made when read, so moving storage only needs
                // a new base URL. `avatar_url` keeps outside pictures (a Yandex avatar).
                "ALTER TABLE users.profiles ADD COLUMN avatar_key text"
            ]
        ),
    ]

    public static let migrator = Migrator(schema: "users", migrations: all)
}
