/// libFuzzer target: what the gateway WebSocket reads from a client, one text frame. Parsing must be
/// deterministic, and what it accepts must hold the promised bounds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGatewayCommand(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let result = GatewayCommand.parse(text)
    let again = GatewayCommand.parse(text)
    switch (result, again) {
    case (.success(let command), .success(let same)):
        precondition(command == same, "parsing is not deterministic")
        switch command {
        case .identify(let token):
            precondition(!token.isEmpty && token.utf8.count <= GatewayCommand.maxTokenBytes, "token unbounded")
        case .resume(let token, let session, let sequence):
            precondition(!token.isEmpty && token.utf8.count <= GatewayCommand.maxTokenBytes, "token unbounded")
            precondition(
                !session.isEmpty && session.utf8.count <= GatewayCommand.maxSessionIDBytes,
                "session unbounded"
            )
            precondition(sequence >= 0, "negative sequence")
        case .typing(let chatID):
            precondition(chatID > 0, "chat id not positive")
        case .sendMessage(let chatID, _, let answerID, let nonce):
            precondition(chatID > 0 && (answerID ?? 1) > 0, "id not positive")
            precondition((nonce?.utf8.count ?? 1) <= GatewayCommand.maxNonceBytes, "nonce unbounded")
        case .read(let chatID, let messageID):
            precondition(chatID > 0 && messageID > 0, "id not positive")
        case .heartbeat:
            break
        }
    case (.failure(let refusal), .failure(let same)):
        precondition(refusal == same, "refusal is not deterministic")
        precondition((refusal.op?.count ?? 0) <= 32 || refusal.code != 4001, "unknown op not cut")
    default:
        preconditionFailure("parsing is not deterministic")
    }
    return 0
}
