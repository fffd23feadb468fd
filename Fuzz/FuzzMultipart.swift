/// libFuzzer target: the multipart parser, the content-type boundary and header parameters.
///
/// The first byte picks the boundary's length (taken from the next bytes); the rest is the body.
/// Beyond "never traps", it checks that every part's content lies inside the body and that parsing
/// is deterministic.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipart(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    _ = MultipartFormData.boundary(fromContentType: text)
    _ = HeaderParameters(parsing: text)
    guard let first = bytes.first else { return 0 }
    let boundaryLength = min(Int(first % 8) + 1, bytes.count - 1)
    let boundary = String(decoding: bytes[1..<(1 + boundaryLength)], as: UTF8.self)
    let body = Array(bytes[(1 + boundaryLength)...])
    let parsed = try? MultipartFormData(parsing: body, boundary: boundary)
    let again = try? MultipartFormData(parsing: body, boundary: boundary)
    if let parsed {
        precondition(again?.parts.count == parsed.parts.count, "parsing is not deterministic")
        for part in parsed.parts {
            precondition(part.body.startIndex >= 0 && part.body.endIndex <= body.count, "content outside the body")
            _ = part.fieldName
            _ = part.fileName
        }
    }
    return 0
}
