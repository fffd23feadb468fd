/// libFuzzer target: canonical base64url. Every text that decodes must be the one encoding of its
/// bytes, and every byte string must round-trip.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBase64URL(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    if let decoded = Base64URL.decodeBytes(text) {
        precondition(Base64URL.encode(decoded) == text, "a second spelling decoded")
    }
    precondition(Base64URL.decodeBytes(Base64URL.encode(bytes)) == bytes, "round trip failed")
    return 0
}
