import Foundation

/// The one rule for text a client sends: no NUL and no other C0 control character except tab and
/// newline, anywhere (JSON fields, query parameters). PostgreSQL refuses NUL in text, and C libraries
/// such as bcrypt's stop reading at it, so such text must never get past the edge.
///
/// Identifiers (e-mail addresses, usernames) are stricter still: no line breaks and no invisible or
/// bidirectional formatting characters (``isInvisibleOrBidiControl(_:)``).
public enum TextSafety {
    /// Whether `scalar` is refused in any text: U+0000-U+001F except tab (U+0009) and newline (U+000A).
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 && scalar.value != 0x09 && scalar.value != 0x0A
    }

    /// Whether `text` holds a character ``isForbidden(_:)`` refuses.
    public static func containsForbidden(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.contains(where: isForbidden)
    }

    /// Zero-width, soft-hyphen and bidirectional formatting characters: invisible, or reordering what
    /// is shown, so two identifiers that look the same could differ.
    public static func isInvisibleOrBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B...0x180F, 0x200B...0x200F,
            0x202A...0x202E, 0x2060...0x206F, 0x3164, 0xFE00...0xFE0F, 0xFEFF, 0xFFA0, 0xFFF0...0xFFF8,
            0xE0000...0xE0FFF:
            true
        default:
            false
        }
    }

    /// Whether `text` may be used as an identifier: no control characters at all (not even tab or
    /// newline) and no invisible or bidirectional formatting characters.
    public static func isSafeIdentifier(_ text: some StringProtocol) -> Bool {
        !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || isInvisibleOrBidiControl($0) }
    }

    /// Whether a JSON text may hold a string with a forbidden character.
    ///
    /// Valid JSON can carry a control character inside a string only as an escape (`\u00XX`, `\b`,
    /// `\f`, `\r`; a raw one is a syntax error), so a scan of the bytes for such escapes settles it without parsing; a `true`
    /// is then confirmed, and the field named, by ``firstForbiddenField(inJSON:)``.
    public static func jsonMayHoldForbidden(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "\\") else { continue }
            guard let escaped = iterator.next() else { return false }
            // `\b`, `\f` and `\r` are control characters too (`\n` and `\t` are allowed).
            if escaped == UInt8(ascii: "b") || escaped == UInt8(ascii: "f") || escaped == UInt8(ascii: "r") {
                return true
            }
            guard escaped == UInt8(ascii: "u") else { continue }
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let digit = iterator.next(), let nibble = hexValue(digit) else { return true }
                value = value << 4 | nibble
            }
            if let scalar = Unicode.Scalar(value), isForbidden(scalar) { return true }
        }
        return false
    }

    /// The path (`field`, `items.2.text`) of the first key or string value in a JSON text that holds a
    /// forbidden character, `""` for the top-level value itself, or nil when there is none (or the text
    /// is not JSON, which the decoder reports on its own).
    public static func firstForbiddenField(inJSON data: Data) -> String? {
        guard let root = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return nil
        }
        return firstForbiddenPath(in: root, path: [])
    }

    private static func firstForbiddenPath(in value: Any, path: [String]) -> String? {
        switch value {
        case let text as String:
            return containsForbidden(text) ? path.joined(separator: ".") : nil
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                let keyPath = path + [key]
                if containsForbidden(key) { return keyPath.joined(separator: ".") }
                if let object = object[key], let found = firstForbiddenPath(in: object, path: keyPath) {
                    return found
                }
            }
            return nil
        case let array as [Any]:
            for (index, element) in array.enumerated() {
                if let found = firstForbiddenPath(in: element, path: path + [String(index)]) { return found }
            }
            return nil
        default:
            return nil
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
