/// The cursor behind ``MultipartFormData``: walks the body once, front to back, with checked reads.
struct MultipartReader {
    private static let crlf: [UInt8] = [13, 10]
    private static let dashes: [UInt8] = [45, 45]

    let bytes: [UInt8]
    /// `--boundary`.
    let delimiter: [UInt8]
    /// `CRLF--boundary`: what ends every part's content.
    let partEnd: [UInt8]
    let limits: MultipartFormData.Limits
    private var position = 0

    init(bytes: [UInt8], boundary: [UInt8], limits: MultipartFormData.Limits) {
        self.bytes = bytes
        self.delimiter = Self.dashes + boundary
        self.partEnd = Self.crlf + Self.dashes + boundary
        self.limits = limits
    }

    mutating func readParts() throws(MultipartError) -> [MultipartFormData.Part] {
        // A preamble, if any, ends with the CRLF that belongs to the first delimiter.
        if bytes.starts(at: 0, with: delimiter) {
            position = delimiter.count
        } else if let start = bytes.firstIndex(of: partEnd, from: 0) {
            position = start + partEnd.count
        } else {
            throw .missingFirstDelimiter
        }
        var parts: [MultipartFormData.Part] = []
        while true {
            // After a delimiter: "--" closes the body (the epilogue is ignored), else padding and CRLF.
            if bytes.starts(at: position, with: Self.dashes) { return parts }
            try skipTransportPadding()
            guard parts.count < limits.maxParts else { throw .limitExceeded }
            let headers = try readHeaders()
            guard let end = bytes.firstIndex(of: partEnd, from: position) else { throw .missingClosingDelimiter }
            parts.append(MultipartFormData.Part(headers: headers, body: bytes[position..<end]))
            position = end + partEnd.count
        }
    }

    /// Skips the spaces and tabs RFC 2046 allows after a delimiter, then its CRLF.
    private mutating func skipTransportPadding() throws(MultipartError) {
        while position < bytes.count, bytes[position] == 32 || bytes[position] == 9 {
            position += 1
        }
        guard position < bytes.count else { throw .missingClosingDelimiter }
        guard bytes.starts(at: position, with: Self.crlf) else { throw .malformedDelimiter }
        position += 2
    }

    /// Reads header lines up to the blank line (or up to the next delimiter, for a part with no content).
    private mutating func readHeaders() throws(MultipartError) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        while true {
            if bytes.starts(at: position, with: partEnd) { return headers }
            let lineEnd = try endOfLine()
            if lineEnd == position {
                position += 2
                return headers
            }
            guard headers.count < limits.maxHeadersPerPart else { throw .limitExceeded }
            headers.append(try Self.header(in: bytes[position..<lineEnd]))
            position = lineEnd + 2
        }
    }

    /// Where the CRLF of the line at `position` starts, looking no further than the longest line.
    private func endOfLine() throws(MultipartError) -> Int {
        let limit = min(bytes.count, position + limits.maxHeaderLineLength + 2)
        var index = position
        while index + 1 < limit {
            if bytes[index] == 13 {
                guard bytes[index + 1] == 10 else { throw .malformedHeader }
                return index
            }
            index += 1
        }
        throw limit == bytes.count ? .missingClosingDelimiter : .limitExceeded
    }

    /// `name: value`, the name a token (RFC 9110) and the value printable (tabs and UTF-8 allowed).
    static func header(in line: ArraySlice<UInt8>) throws(MultipartError) -> (name: String, value: String) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
            throw .malformedHeader
        }
        let name = line[line.startIndex..<colon]
        guard name.allSatisfy(HTTPToken.isTokenCharacter) else { throw .malformedHeader }
        var value = line[(colon + 1)...]
        guard value.allSatisfy({ $0 == 9 || $0 >= 32 && $0 != 127 }) else { throw .malformedHeader }
        while let first = value.first, first == 32 || first == 9 { value = value.dropFirst() }
        while let last = value.last, last == 32 || last == 9 { value = value.dropLast() }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }
}

extension Array where Element == UInt8 {
    /// Whether the bytes from `index` on begin with `prefix`; false when fewer bytes remain.
    func starts(at index: Int, with prefix: [UInt8]) -> Bool {
        guard index >= 0, prefix.count <= count - index else { return false }
        var offset = 0
        while offset < prefix.count {
            if self[index + offset] != prefix[offset] { return false }
            offset += 1
        }
        return true
    }

    /// The first index at or after `start` where `pattern` begins.
    ///
    /// Linear for the patterns used here: a delimiter starts with CR and holds no other CR, so a
    /// partial match never overlaps the next candidate.
    func firstIndex(of pattern: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, start >= 0 else { return nil }
        var index = start
        while index < count, pattern.count <= count - index {
            if self[index] == first, starts(at: index, with: pattern) { return index }
            index += 1
        }
        return nil
    }
}
