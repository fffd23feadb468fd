import Foundation
import Hummingbird
import NIOCore

/// Writes JSON text straight into a buffer, for the longest answers (pages of messages, user lists).
///
/// Foundation's `JSONEncoder` first builds a tree of boxed values and then serialises it; on
/// `GET /private/{id}/messages?limit=50` that was a quarter of the messenger's CPU time. The text
/// written here is the same JSON value `JSONEncoder.api` writes: no whitespace, `/` not escaped,
/// non-ASCII characters as UTF-8, `null` for absent values; members come in the order written (the
/// order the README shows), where `JSONEncoder`'s order is unspecified.
///
/// The text is collected in a byte array (appending to it is cheaper than `ByteBuffer`'s checked writes,
/// which were most of the writer's time) and copied into a `ByteBuffer` once, at the end.
public struct JSONWriter {
    // Inlinable (with what they touch): the services write their answers through these generic and
    // tiny methods, and across the module boundary they would otherwise run unspecialized, through
    // witness tables and run-time type metadata, which cost more than the writing.
    @usableFromInline var bytes: [UInt8] = []
    @usableFromInline var needsComma = false

    public init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    /// The text written so far.
    public var buffer: ByteBuffer { ByteBuffer(bytes: bytes) }

    /// The text written so far, as a string.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Writes an object whose members `body` writes.
    @inlinable
    public mutating func object(_ body: (inout JSONWriter) throws -> Void) rethrows {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        try body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes an array with one value per element, each written by `body`.
    @inlinable
    public mutating func array<Elements: Sequence>(
        _ elements: Elements,
        _ body: (inout JSONWriter, Elements.Element) throws -> Void
    ) rethrows {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for element in elements { try body(&self, element) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes the member `name` whose value writes itself.
    @inlinable
    public mutating func field(_ name: StaticString, _ value: some JSONWritable) {
        key(name)
        value.write(to: &self)
    }

    @inlinable
    public mutating func field(_ name: StaticString, _ value: Int64) {
        key(name)
        integer(value)
    }

    @inlinable
    public mutating func field(_ name: StaticString, _ value: Int64?) {
        key(name)
        if let value { integer(value) } else { null() }
    }

    @inlinable
    public mutating func field(_ name: StaticString, _ values: [Int64]) {
        key(name)
        array(values) { writer, value in
            writer.separate()
            writer.integer(value)
        }
    }

    @inlinable
    public mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    @inlinable
    public mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        append(value ? "true" : "false")
        needsComma = true
    }

    /// Writes the member `name` with `date` as ``UTCTimestamp/iso8601(_:)`` spells it.
    @inlinable
    public mutating func field(_ name: StaticString, timestamp date: Date) {
        key(name)
        bytes.append(UInt8(ascii: "\""))
        UTCTimestamp.writeISO8601(date, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes the member `name` with `date` as ``UTCTimestamp/iso8601(_:)`` spells it, or `null`.
    @inlinable
    public mutating func field(_ name: StaticString, timestamp date: Date?) {
        guard let date else {
            key(name)
            null()
            return
        }
        field(name, timestamp: date)
    }

    /// Writes the member `name` with `json` as its value, as is, or `null`. `json` must be JSON text the
    /// service wrote itself (a `jsonb` column it filled), never text from a client.
    @inlinable
    public mutating func field(_ name: StaticString, rawJSON json: String?) {
        key(name)
        guard let json else {
            null()
            return
        }
        bytes.append(contentsOf: json.utf8)
        needsComma = true
    }

    /// The text as a `200 OK` (or `status`) response of type `application/json`.
    public func response(status: HTTPResponse.Status = .ok) -> Response {
        .json(buffer, status: status)
    }

    // MARK: - Values

    @inlinable
    mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    @inlinable
    mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Member names are our own constants: plain ASCII that needs no escaping.
    @inlinable
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        append(name)
        // Two single bytes: cheaper than a second `append(contentsOf:)` (about 95 instructions each).
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    @inlinable
    mutating func integer(_ value: Int64) {
        bytes.appendDecimal(value)
        needsComma = true
    }

    @inlinable
    mutating func null() {
        append("null")
        needsComma = true
    }

    /// A string, with `"`, `\` and control characters escaped (RFC 8259 section 7).
    @usableFromInline
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                writeEscaped(byte)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func writeEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): append("\\\"")
        case UInt8(ascii: "\\"): append("\\\\")
        case UInt8(ascii: "\n"): append("\\n")
        case UInt8(ascii: "\r"): append("\\r")
        case UInt8(ascii: "\t"): append("\\t")
        case 0x08: append("\\b")
        case 0x0C: append("\\f")
        default:
            append("\\u00")
            bytes.append(Self.hexDigits[Int(byte >> 4)])
            bytes.append(Self.hexDigits[Int(byte & 0x0F)])
        }
    }
}

/// A value that writes itself with ``JSONWriter`` (as one JSON value).
public protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

extension JSONWritable {
    /// This value as JSON text: an outbox event's payload, an ephemeral event's `d`.
    public var jsonText: String {
        var writer = JSONWriter(capacity: 256)
        write(to: &writer)
        return writer.text
    }
}

extension Sequence where Element: JSONWritable {
    /// These values as a JSON array response.
    @inlinable
    public func jsonResponse(status: HTTPResponse.Status = .ok) -> Response {
        var writer = JSONWriter()
        writer.array(self) { writer, element in element.write(to: &writer) }
        return writer.response(status: status)
    }
}

extension UserSummary: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("id", id)
            object.field("username", username)
            object.field("avatar_url", avatarURL)
        }
    }
}

extension PublicUser: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("id", summary.id)
            object.field("username", summary.username)
            object.field("avatar_url", summary.avatarURL)
            object.field("is_online", isOnline)
            object.field("last_online_at", lastOnlineAt)
        }
    }
}

extension PresenceChange: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.object { object in
            object.field("user_id", userID)
            object.field("status", status.rawValue)
            object.field("last_online_at", lastOnlineAt)
        }
    }
}
