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
        Migration(
            3,
            "add_presence",
            [
                // When a gateway last reported the user active; online means within the last 5 minutes.
                "ALTER TABLE users.profiles ADD COLUMN last_online_at timestamptz",
                // The presence last announced to the user's contacts, and when (one announcement per
                // user per 10 s): a change is announced once, by whichever gateway's report finds it.
                "ALTER TABLE users.profiles ADD COLUMN announced_online boolean NOT NULL DEFAULT false",
                "ALTER TABLE users.profiles ADD COLUMN presence_announced_at timestamptz",
                // Finds the announced-online users whose window ended and the announced-offline ones
                // active within it, without reading the users never seen.
                """
                CREATE INDEX profiles_presence_idx ON users.profiles (announced_online, last_online_at)
                WHERE last_online_at IS NOT NULL
                """,
            ]
        ),
    ]

    public static let migrator = Migrator(schema: "users", migrations: all)
}
