/// A reader's position in commit order over rows that concurrent transactions write, such as revoked
/// sessions: a reader that polls with it never skips a row that commits late.
///
/// A timestamp (`now()` is the transaction's start, not its commit) or a sequence value is assigned
/// before commit, so a row stamped earlier can become visible after a reader has already passed it.
/// Instead each row carries the `xid8` of its transaction (`pg_current_xact_id()`), and the reader asks,
/// in one statement (one snapshot), for the rows with `xid >= cursor` and for ``nextSQL``, the snapshot's
/// `xmin`: every transaction below it has ended, and every transaction still running, or yet to start,
/// has an id at or above it. That `xmin` is the next cursor. Rows at or above it that were already visible
/// are returned again by the next poll, so readers apply rows idempotently.
public struct CommitCursor: Sendable, Hashable, CustomStringConvertible {
    /// The 64-bit transaction id (`xid8`, never wraps around).
    public let transactionID: UInt64

    public init(transactionID: UInt64) {
        self.transactionID = transactionID
    }

    /// Parses the decimal text form PostgreSQL gives `xid8`; `nil` for anything else.
    public init?(_ text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.count <= 20, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let value = UInt64(text)
        else { return nil }
        transactionID = value
    }

    /// The decimal form, as PostgreSQL casts it to and from `xid8`.
    public var description: String { String(transactionID) }

    /// The SQL expression of the next cursor, as text; select it in the same statement as the rows.
    public static var nextSQL: String { "pg_snapshot_xmin(pg_current_snapshot())::text" }
}
