/// A header value with parameters, such as `form-data; name="avatar_file"; filename="a.png"` or
/// `multipart/form-data; boundary=xyz` (RFC 9110 section 5.6.6).
///
/// Parameter names are compared without case; values may be tokens or quoted strings with `\`
/// escapes. A parameter that does not follow the grammar makes the whole value invalid.
public struct HeaderParameters: Sendable, Equatable {
    /// The value before the first `;`, trimmed.
    public var value: String
    /// The parameters, names lowercased, in the order sent.
    public var parameters: [(name: String, value: String)]

    /// The first parameter called `name` (any case).
    public subscript(name: String) -> String? {
        let wanted = name.lowercased()
        return parameters.first { $0.name == wanted }?.value
    }

    /// Parses `text`; nil when the value is empty or a parameter is malformed.
    public init?(parsing text: String) {
        var scanner = ParameterScanner(bytes: Array(text.utf8))
        let value = scanner.read { $0 != UInt8(ascii: ";") }
        let trimmed = value.trimmingSpaces()
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0 == 9 || $0 >= 32 && $0 != 127 }) else { return nil }
        self.value = String(decoding: trimmed, as: UTF8.self)
        parameters = []
        while scanner.skip(UInt8(ascii: ";")) {
            scanner.skipSpaces()
            if scanner.isAtEnd { break }
            let name = scanner.read(while: HTTPToken.isTokenCharacter)
            guard !name.isEmpty else { return nil }
            scanner.skipSpaces()
            guard scanner.skip(UInt8(ascii: "=")) else { return nil }
            scanner.skipSpaces()
            let parameterValue: [UInt8]
            if scanner.peek == UInt8(ascii: "\"") {
                guard let quoted = scanner.readQuotedString() else { return nil }
                parameterValue = quoted
            } else {
                parameterValue = scanner.read(while: HTTPToken.isTokenCharacter)
            }
            scanner.skipSpaces()
            guard scanner.isAtEnd || scanner.peek == UInt8(ascii: ";") else { return nil }
            parameters.append(
                (String(decoding: name, as: UTF8.self).lowercased(), String(decoding: parameterValue, as: UTF8.self))
            )
        }
        guard scanner.isAtEnd else { return nil }
    }

    public static func == (lhs: HeaderParameters, rhs: HeaderParameters) -> Bool {
        lhs.value == rhs.value && lhs.parameters.elementsEqual(rhs.parameters) { $0 == $1 }
    }
}

/// A forward-only reader over a header value's bytes.
private struct ParameterScanner {
    let bytes: [UInt8]
    var position = 0

    var isAtEnd: Bool { position >= bytes.count }
    var peek: UInt8? { isAtEnd ? nil : bytes[position] }

    mutating func read(while accepts: (UInt8) -> Bool) -> [UInt8] {
        let start = position
        while let byte = peek, accepts(byte) { position += 1 }
        return Array(bytes[start..<position])
    }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        position += 1
        return true
    }

    mutating func skipSpaces() {
        while let byte = peek, byte == 32 || byte == 9 { position += 1 }
    }

    /// A quoted string from its opening quote: the text between the quotes, escapes resolved; nil when
    /// it is unterminated or holds a control character.
    mutating func readQuotedString() -> [UInt8]? {
        guard skip(UInt8(ascii: "\"")) else { return nil }
        var text: [UInt8] = []
        while let byte = peek {
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return text
            case UInt8(ascii: "\\"):
                guard let escaped = peek, escaped == 9 || escaped >= 32 && escaped != 127 else { return nil }
                position += 1
                text.append(escaped)
            case 9, 32..<127, 128...255:
                text.append(byte)
            default:
                return nil
            }
        }
        return nil
    }
}

extension Array where Element == UInt8 {
    /// The bytes without leading and trailing spaces and tabs.
    func trimmingSpaces() -> ArraySlice<UInt8> {
        var slice = self[...]
        while let first = slice.first, first == 32 || first == 9 { slice = slice.dropFirst() }
        while let last = slice.last, last == 32 || last == 9 { slice = slice.dropLast() }
        return slice
    }
}
