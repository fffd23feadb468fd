import Foundation

/// libFuzzer target: the text rule on JSON bodies (``TextSafety``) and decoding into a payload shaped
/// like ours. Checks that the byte scan never misses a control character the full parse finds, which
/// is what lets the edge skip the full parse for almost every request.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONBody(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    let mayHold = TextSafety.jsonMayHoldForbidden(bytes)
    if let field = TextSafety.firstForbiddenField(inJSON: bytes) {
        precondition(mayHold, "the scan missed a control character in '\(field)'")
    }
    _ = try? JSONDecoder().decode(SamplePayload.self, from: bytes)
    let text = String(decoding: bytes, as: UTF8.self)
    _ = TextSafety.isSafeIdentifier(text)
    _ = TextSafety.containsForbidden(text)
    return 0
}

/// The shapes our bodies have: strings, optional strings, integers, nested objects and arrays.
struct SamplePayload: Decodable {
    var username: String?
    var email: String?
    var password: String?
    var text: String?
    var recipientID: Int64?
    var nested: [String: [String]]?

    enum CodingKeys: String, CodingKey {
        case username, email, password, text, nested
        case recipientID = "recipient_id"
    }
}
