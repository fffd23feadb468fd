import Foundation

/// Formats instants as the API shows them: ISO 8601 in UTC to the second (`2025-01-01T12:00:02Z`).
///
/// Done by hand with `gmtime_r`: creating a `DateFormatter`/`ISO8601DateFormatter` costs far more than
/// the formatting, and a page of 50 messages would otherwise pay it 50 times.
public enum UTCTimestamp {
    /// `date` as `YYYY-MM-DDTHH:MM:SSZ`.
    public static func iso8601(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))Z"
    }

    /// `yyyyMMdd'T'HHmmss'Z'`, as AWS Signature Version 4 wants it.
    public static func compact(_ date: Date) -> String {
        iso8601(date).filter { $0 != "-" && $0 != ":" }
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
