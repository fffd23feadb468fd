/// libFuzzer target: what the QR hub reads from a client: a text frame's command and the hub's
/// `client_id`. A frame that parses must parse the same way again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQRHubFrame(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let command = QRHubCommand(frame: text)
    precondition(command == QRHubCommand(frame: text), "parsing is not deterministic")
    if case .unknown(let op) = command { precondition(op.count <= 64, "unknown op not cut") }
    _ = QRClientID.isValid(text)
    return 0
}
