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
        try nextCell().decode(T.self)
    }

    // The types of nearly every column read on the hot paths, read from the cell's bytes when they are
    // in the binary form PostgreSQL sends for prepared statements: PostgresNIO's generic `decode` (a
    // decoding context, type checks for every convertible type, the cell copied) cost more than the value.
    // Anything else (text format, another column type) takes the generic path, which also reports errors.

    /// The next column as an `Int64` (`bigint`).
    @inlinable
    public mutating func next(_ type: Int64.Type = Int64.self) throws -> Int64 {
        try Self.int64(nextCell())
    }

    /// The next column as an `Int64`, or `nil` for SQL `NULL`.
    @inlinable
    public mutating func next(_ type: Int64?.Type = Int64?.self) throws -> Int64? {
        let cell = try nextCell()
        guard cell.bytes != nil else { return nil }
        return try Self.int64(cell)
    }

    /// The next column as a `String` (`text`, `varchar`).
    @inlinable
    public mutating func next(_ type: String.Type = String.self) throws -> String {
        try Self.string(nextCell())
    }

    /// The next column as a `String`, or `nil` for SQL `NULL`.
    @inlinable
    public mutating func next(_ type: String?.Type = String?.self) throws -> String? {
        let cell = try nextCell()
        guard cell.bytes != nil else { return nil }
        return try Self.string(cell)
    }

    @inlinable
    mutating func nextCell() throws -> PostgresCell {
        guard let cell = cells.next() else { throw MissingColumn() }
        return cell
    }

    @inlinable
    static func int64(_ cell: PostgresCell) throws -> Int64 {
        if cell.dataType == .int8, cell.format == .binary, let bytes = cell.bytes, bytes.readableBytes == 8,
            let value = bytes.getInteger(at: bytes.readerIndex, as: Int64.self)
        {
            return value
        }
        return try cell.decode(Int64.self)
    }

    @inlinable
    static func string(_ cell: PostgresCell) throws -> String {
        if cell.dataType == .text || cell.dataType == .varchar, let bytes = cell.bytes { return String(buffer: bytes) }
        return try cell.decode(String.self)
    }

    /// A query returned fewer columns than its reader reads (a bug in the query or the reader).
    public struct MissingColumn: Error {
        @inlinable public init() {}
    }
}
