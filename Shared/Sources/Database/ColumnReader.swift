import PostgresNIO

/// Reads the columns of a row in order, each as the type asked for.
///
/// `row.decode((Int64, String, Date).self)` builds the tuple's type metadata at run time for every row
/// (a locked cache lookup per column); on a page of 50 messages that was about a tenth of the
/// messenger's CPU time. Reading cell by cell with concrete types does none of that. Used on the hot
/// read paths; the rest of the code keeps the tuple form.
public struct ColumnReader {
    @usableFromInline var cells: PostgresRow.Iterator

    public init(_ row: PostgresRow) {
        cells = row.makeIterator()
    }

    /// The next column's value.
    /// - Throws: ``MissingColumn`` when the row has no more columns, or PostgresNIO's decoding error when
    ///   the value is not a `T`.
    @inlinable
    public mutating func next<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
        guard let cell = cells.next() else { throw MissingColumn() }
        return try cell.decode(T.self)
    }

    /// A query returned fewer columns than its reader reads (a bug in the query or the reader).
    public struct MissingColumn: Error {
        @inlinable public init() {}
    }
}
