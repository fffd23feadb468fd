extension Array where Element == UInt8 {
    /// Appends the decimal digits of `value`, with leading zeros up to `width` digits.
    ///
    /// The digits are written in place from the end: reversing them afterwards through a slice
    /// (`bytes[start...].reverse()`) made Swift copy the whole array on every number, so each timestamp
    /// and id of a long JSON answer cost a copy of everything written before it.
    @inlinable
    mutating func appendDecimal(_ value: UInt64, width: Int = 1) {
        var digits = 1
        var limit: UInt64 = 10
        while digits < 20, value >= limit {
            digits += 1
            limit = limit &* 10
        }
        let count = Swift.max(digits, width)
        let end = endIndex + count
        append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        var rest = value
        var index = end - 1
        while rest > 0 {
            self[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
            index -= 1
        }
    }

    /// Appends `value` in decimal, with a `-` before a negative one.
    @inlinable
    mutating func appendDecimal(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude)
    }
}
