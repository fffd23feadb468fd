import PostgresNIO

/// Classifies PostgreSQL errors the stores react to.
public enum DatabaseError {
    /// Whether `error` is a unique-constraint violation (SQLSTATE 23505), optionally of `constraint`.
    public static func isUniqueViolation(_ error: any Error, constraint: String? = nil) -> Bool {
        guard let psql = error as? PSQLError, psql.serverInfo?[.sqlState] == "23505" else { return false }
        guard let constraint else { return true }
        return psql.serverInfo?[.constraintName] == constraint
    }

    /// Whether `error` is PostgreSQL refusing a value it was given as text: a malformed or out-of-range
    /// date or number (SQLSTATE class 22, data exception).
    public static func isDataException(_ error: any Error) -> Bool {
        guard let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState] else { return false }
        return state.hasPrefix("22")
    }
}
