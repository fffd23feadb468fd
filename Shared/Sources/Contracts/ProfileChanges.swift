import PostgresNIO

/// How Users tells the services that keep user summaries which profile changed: `NOTIFY` on
/// ``channel`` with the user's id as the payload, sent inside the transaction of the change, so it is
/// delivered when, and only when, the change commits (``ProfileChangeListener`` drops the entry).
public enum ProfileChanges {
    /// The PostgreSQL notification channel.
    public static let channel = "profile_changes"

    /// A statement for the changing transaction: announces `userID` at its commit.
    public static func announcement(of userID: Int64) -> PostgresQuery {
        "SELECT pg_notify(\(channel), \(String(userID)))"
    }

    /// The user id a notification's payload names, or `nil` for anything else.
    public static func userID(inPayload payload: String) -> Int64? {
        Int64(payload)
    }
}
