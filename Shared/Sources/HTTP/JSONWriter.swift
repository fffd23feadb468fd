import Hummingbird
import NIOCore

/// Writes JSON text straight into a buffer, for the longest answers (pages of messages, user lists).
///
/// Foundation's `JSONEncoder` first builds a tree of boxed values and then serialises it; on
/// `GET /private/{id}/messages?limit=50` that was a quarter of the messenger's CPU time. The text
/// written here is the same JSON value `JSONEncoder.api` writes: no whitespace, `/` not escaped,
/// non-ASCII characters as UTF-8, `null` for absent values; members come in the order written (the
/// order the README shows), where `JSONEncoder`'s order is unspecified.
public struct JSONWriter {
    public private(set) var buffer: ByteBuffer
    private var needsComma = false

    public init(capacity: Int = 1024) {
        buffer = ByteBuffer()
        buffer.reserveCapacity(capacity)
    }

    /// Writes an object whose members `body` writes.
    public mutating func object(_ body: (inout JSONWriter) throws -> Void) rethrows {
        separate()
        buffer.writeInteger(UInt8(ascii: "{"))
        needsComma = false
        try body(&self)
        buffer.writeInteger(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes an array with one value per element, each written by `body`.
    public mutating func array<Elements: Sequence>(
        _ elements: Elements,
        _ body: (inout JSONWriter, Elements.Element) throws -> Void
    ) rethrows {
        separate()
        buffer.writeInteger(UInt8(ascii: "["))
        needsComma = false
        for element in elements { try body(&self, element) }
        buffer.writeInteger(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes the member `name` whose value writes itself.
    public mutating func field(_ name: StaticString, _ value: some JSONWritable) {
        key(name)
        value.write(to: &self)
    }

    public mutating func field(_ name: StaticString, _ value: Int64) {
        key(name)
        integer(value)
    }

    public mutating func field(_ name: StaticString, _ value: Int64?) {
        key(name)
        if let value { integer(value) } else { null() }
    }

    public mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    public mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        buffer.writeStaticString(value ? "true" : "false")
        needsComma = true
    }

    /// The text as a `200 OK` (or `status`) response of type `application/json`.
    public func response(status: HTTPResponse.Status = .ok) -> Response {
        .json(buffer, status: status)
    }

    // MARK: - Values

    private mutating func separate() {
        if needsComma { buffer.writeInteger(UInt8(ascii: ",")) }
    }

    /// Member names are our own constants: plain ASCII that needs no escaping.
    private mutating func key(_ name: StaticString) {
        separate()
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeStaticString(name)
        buffer.writeStaticString("\":")
        needsComma = false
    }

    private mutating func integer(_ value: Int64) {
        buffer.writeString(String(value))
        needsComma = true
    }

    private mutating func null() {
        buffer.writeStaticString("null")
        needsComma = true
    }

    /// A string, with `"`, `\` and control characters escaped (RFC 8259 section 7).
    mutating func string(_ value: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                writeEscaped(byte)
                runStart = index + 1
            }
            buffer.writeBytes(UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        buffer.writeInteger(UInt8(ascii: "\""))
        needsComma = true
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func writeEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
        case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
        case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
        case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
        case 0x08: buffer.writeStaticString("\\b")
        case 0x0C: buffer.writeStaticString("\\f")
        default:
            buffer.writeStaticString("\\u00")
            buffer.writeInteger(Self.hexDigits[Int(byte >> 4)])
            buffer.writeInteger(Self.hexDigits[Int(byte & 0x0F)])
        }
    }
}

/// A value that writes itself with ``JSONWriter`` (as one JSON value).
public protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

extension Sequence where Element: JSONWritable {
    /// These values as a JSON array response.
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
