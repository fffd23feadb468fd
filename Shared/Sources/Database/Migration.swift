/// One numbered, append-only schema change of a service. A shipped migration is never edited.
public struct Migration: Sendable {
    /// Position in the service's sequence, from 1.
    public let version: Int
    /// Short description, recorded with the version.
    public let name: String
    /// SQL statements, run in order in the migration transaction (one statement each).
    public let statements: [String]

    public init(_ version: Int, _ name: String, _ statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}
