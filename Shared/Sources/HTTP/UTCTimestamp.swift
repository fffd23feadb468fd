import Foundation

/// Formats instants as the API shows them: ISO 8601 in UTC to the second (`2025-01-01T12:00:02Z`).
///
/// Done by hand with `gmtime_r`: creating a `DateFormatter`/`ISO8601DateFormatter` costs far more than
/// the formatting, and a page of 50 messages would otherwise pay it 50 times.
public enum UTCTimestamp {
    /// `date` as `YYYY-MM-DDTHH:MM:SSZ`.
    public static func iso8601(_ date: Date) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        writeISO8601(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `date` as ``iso8601(_:)`` spells it to `bytes` (for ``JSONWriter``, without a string).
    public static func writeISO8601(_ date: Date, to bytes: inout [UInt8]) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        append(Int(parts.tm_year) + 1900, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(Int(parts.tm_mon) + 1, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        append(Int(parts.tm_mday), width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        append(Int(parts.tm_hour), width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(Int(parts.tm_min), width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        append(Int(parts.tm_sec), width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// `yyyyMMdd'T'HHmmss'Z'`, as AWS Signature Version 4 wants it.
    public static func compact(_ date: Date) -> String {
        iso8601(date).filter { $0 != "-" && $0 != ":" }
    }

    /// Appends the decimal digits of `value`, with leading zeros up to `width` digits.
    static func append(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        bytes.appendDecimal(UInt64(value.magnitude), width: width)
    }
}
