import Shared

/// The `auth` schema's migrations, append-only.
public enum AuthMigrations {
    public static let all: [Migration] = [
        Migration(
            1,
            "create_accounts_and_sessions",
            [
                """
                CREATE TABLE auth.accounts (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    email text NOT NULL,
                    password_hash text,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE UNIQUE INDEX accounts_email_key ON auth.accounts (lower(email))",
                """
                CREATE TABLE auth.sessions (
                    id uuid PRIMARY KEY,
                    user_id bigint NOT NULL REFERENCES auth.accounts (id) ON DELETE CASCADE,
                    refresh_hash bytea NOT NULL UNIQUE,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    expires_at timestamptz NOT NULL,
                    revoked_at timestamptz
                )
                """,
                """
                CREATE TABLE auth.retired_refresh_tokens (
                    refresh_hash bytea PRIMARY KEY,
                    session_id uuid NOT NULL REFERENCES auth.sessions (id) ON DELETE CASCADE,
                    retired_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX sessions_revoked_idx ON auth.sessions (revoked_at) WHERE revoked_at IS NOT NULL",
            ]
        ),
        Migration(
            2,
            "create_qr_login",
            [
                """
                CREATE TABLE auth.qr_used_tickets (
                    ticket_id text PRIMARY KEY,
                    expires_at timestamptz NOT NULL
                )
                """,
                "CREATE INDEX qr_used_tickets_expiry_idx ON auth.qr_used_tickets (expires_at)",
                """
                CREATE TABLE auth.qr_grants (
                    token_hash bytea PRIMARY KEY,
                    user_id bigint NOT NULL REFERENCES auth.accounts (id) ON DELETE CASCADE,
                    client_id text NOT NULL,
                    expires_at timestamptz NOT NULL,
                    used_at timestamptz
                )
                """,
                "CREATE INDEX qr_grants_expiry_idx ON auth.qr_grants (expires_at)",
            ]
        ),
        Migration(
            3,
            "add_yandex_sign_in",
            [
                "ALTER TABLE auth.accounts ADD COLUMN yandex_id text",
                "CREATE UNIQUE INDEX accounts_yandex_id_key ON auth.accounts (yandex_id)",
                """
                CREATE TABLE auth.used_oauth_states (
                    state_id text PRIMARY KEY,
                    expires_at timestamptz NOT NULL
                )
                """,
                "CREATE INDEX used_oauth_states_expiry_idx ON auth.used_oauth_states (expires_at)",
            ]
        ),
        Migration(
            4,
            "bind_qr_grants_to_code_challenge",
            [
                // The S256 code_challenge of the browser that opened the hub; NULL for a seed client's hub.
                "ALTER TABLE auth.qr_grants ADD COLUMN code_challenge text"
            ]
        ),
        Migration(
            5,
            "stamp_revocations_with_their_transaction",
            [
                // `revoked_at = now()` is the transaction's start, not its commit, so a poll by time can pass a
                // revocation that commits late. The transaction id orders revocations for a CommitCursor. A
                // trigger stamps it, so every way of revoking (including an operator's manual UPDATE) is seen.
                "ALTER TABLE auth.sessions ADD COLUMN revoked_xid xid8",
                """
                CREATE FUNCTION auth.stamp_revocation_xid() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.revoked_at IS NOT NULL AND (TG_OP = 'INSERT' OR OLD.revoked_at IS NULL) THEN
                        NEW.revoked_xid := pg_current_xact_id();
                    END IF;
                    RETURN NEW;
                END
                $$
                """,
                """
                CREATE TRIGGER sessions_stamp_revocation_xid
                BEFORE INSERT OR UPDATE OF revoked_at ON auth.sessions
                FOR EACH ROW EXECUTE FUNCTION auth.stamp_revocation_xid()
                """,
                "CREATE INDEX sessions_revoked_xid_idx ON auth.sessions (revoked_xid) WHERE revoked_xid IS NOT NULL",
            ]
        ),
        Migration(
            6,
            "register_in_steps",
            [
                // Set while the profile is being created in Users: such an account cannot log in, and one left
                // pending by a crash is undone by a sweep. NULL for every account registered before.
                "ALTER TABLE auth.accounts ADD COLUMN pending_since timestamptz",
                "CREATE INDEX accounts_pending_since_idx ON auth.accounts (pending_since) WHERE pending_since IS NOT NULL",
                // Ids of undone registrations whose profile Users could not be asked to remove yet.
                """
                CREATE TABLE auth.abandoned_profiles (
                    user_id bigint PRIMARY KEY,
                    abandoned_at timestamptz NOT NULL DEFAULT now()
                )
                """,
            ]
        ),
    ]

    public static let migrator = Migrator(schema: "auth", migrations: all)
}
