/// A `multipart/form-data` body (RFC 7578 over RFC 2046's grammar), parsed from bytes a client sent.
///
/// The parser reads the whole body, already collected and bounded by the caller, with bounds-checked
/// reads only: no input makes it trap. It refuses what it does not understand instead of guessing,
/// so a part header with a byte outside the token characters, a missing final delimiter or more
/// parts than ``Limits/maxParts`` all end in ``MultipartError``.
public struct MultipartFormData: Sendable {
    /// The parts, in the order they were sent.
    public var parts: [Part]

    /// Bounds on what one body may hold.
    public struct Limits: Sendable {
        /// Most parts in one body.
        public var maxParts: Int
        /// Most header lines in one part.
        public var maxHeadersPerPart: Int
        /// Longest header line, in bytes.
        public var maxHeaderLineLength: Int

        public init(maxParts: Int = 16, maxHeadersPerPart: Int = 8, maxHeaderLineLength: Int = 1024) {
            self.maxParts = maxParts
            self.maxHeadersPerPart = maxHeadersPerPart
            self.maxHeaderLineLength = maxHeaderLineLength
        }
    }

    /// One part: its headers and the bytes of its content.
    public struct Part: Sendable {
        /// The part's header lines, names as sent.
        public var headers: [(name: String, value: String)]
        /// The part's content.
        public var body: ArraySlice<UInt8>

        /// The first value of the header `name`, compared without case.
        public func header(_ name: String) -> String? {
            let wanted = name.lowercased()
            return headers.first { $0.name.lowercased() == wanted }?.value
        }

        /// The parsed `Content-Disposition` header, when there is a valid one.
        public var disposition: HeaderParameters? {
            header("Content-Disposition").flatMap(HeaderParameters.init(parsing:))
        }

        /// The form field this part fills: the `name` parameter of `Content-Disposition: form-data`.
        public var fieldName: String? {
            guard let disposition, disposition.value.lowercased() == "form-data" else { return nil }
            return disposition["name"]
        }

        /// The file name the client gave, if the part is a file.
        public var fileName: String? {
            disposition?["filename"]
        }
    }

    /// Parses `bytes` as a multipart body delimited by `boundary`.
    /// - Throws: ``MultipartError`` when the body does not follow the grammar or exceeds `limits`.
    public init(parsing bytes: [UInt8], boundary: String, limits: Limits = Limits()) throws(MultipartError) {
        guard Self.isValidBoundary(boundary) else { throw .invalidBoundary }
        var reader = MultipartReader(bytes: bytes, boundary: Array(boundary.utf8), limits: limits)
        parts = try reader.readParts()
    }

    /// The `boundary` parameter of a `multipart/form-data` content type, or nil for any other type
    /// or a missing or invalid boundary.
    public static func boundary(fromContentType contentType: String) -> String? {
        guard let parameters = HeaderParameters(parsing: contentType),
            parameters.value.lowercased() == "multipart/form-data",
            let boundary = parameters["boundary"], isValidBoundary(boundary)
        else { return nil }
        return boundary
    }

    /// RFC 2046: 1-70 characters of `bchars`, not ending in a space.
    static func isValidBoundary(_ boundary: String) -> Bool {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), bytes.last != UInt8(ascii: " ") else { return false }
        return bytes.allSatisfy(isBoundaryCharacter)
    }

    private static func isBoundaryCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            true
        default:
            "'()+_,-./:=? ".utf8.contains(byte)
        }
    }
}

/// Why a multipart body was refused.
public enum MultipartError: Error, Equatable, Sendable {
    /// The boundary parameter is missing, too long or has characters RFC 2046 does not allow.
    case invalidBoundary
    /// The body does not start with the boundary delimiter.
    case missingFirstDelimiter
    /// The body ends before the closing delimiter (`--boundary--`).
    case missingClosingDelimiter
    /// A delimiter line has bytes after the boundary other than spaces before its CRLF.
    case malformedDelimiter
    /// A part header line is not `name: value` with a token name and a printable value.
    case malformedHeader
    /// A part header line, the number of header lines or the number of parts exceeds the limits.
    case limitExceeded

    /// A sentence for the client.
    public var reason: String {
        switch self {
        case .invalidBoundary: "the boundary parameter is missing or invalid"
        case .missingFirstDelimiter: "the body does not start with the boundary"
        case .missingClosingDelimiter: "the body ends before its closing boundary"
        case .malformedDelimiter: "a boundary line is malformed"
        case .malformedHeader: "a part header is malformed"
        case .limitExceeded: "too many parts or part headers, or a header line is too long"
        }
    }
}
