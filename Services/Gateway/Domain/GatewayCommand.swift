import Foundation

/// What a client asks for in one text frame of the gateway WebSocket (`{"op", "d"}`), checked before
/// anything acts on it: ids positive, strings bounded, the frame at most ``maxFrameBytes``.
///
/// It imports only Foundation, so `make fuzz` compiles it standalone with libFuzzer
/// (`Fuzz/FuzzGatewayCommand.swift`).
enum GatewayCommand: Equatable, Sendable {
    case identify(token: String)
    case resume(token: String, sessionID: String, sequence: Int64)
    /// `d` is the last `s` the client saw (or null); the server answers whatever it is.
    case heartbeat
    case typing(chatID: Int64)
    case sendMessage(chatID: Int64, text: String, answerID: Int64?, nonce: String?)
    case read(chatID: Int64, messageID: Int64)

    /// Why a frame was refused: an ``GatewayFrame/error(_:)`` code and a readable sentence. The
    /// connection stays open.
    struct Refusal: Error, Equatable, Sendable {
        /// 4001 unknown op, 4002 a frame or field that cannot be read.
        var code: Int
        var detail: String
        /// The op of the refused frame, when it had a readable one.
        var op: String?

        static func unknownOp(_ op: String) -> Self {
            Refusal(code: 4001, detail: "Unknown op", op: String(op.prefix(32)))
        }

        static func invalid(_ detail: String, op: String? = nil) -> Self {
            Refusal(code: 4002, detail: detail, op: op)
        }
    }

    /// The largest frame read: a message of 4,096 characters of any script, escaped, fits.
    static let maxFrameBytes = 65536
    /// Tokens and session ids longer than this are refused unread.
    static let maxTokenBytes = 4096
    static let maxSessionIDBytes = 64
    static let maxNonceBytes = 64

    /// Parses a text frame.
    static func parse(_ text: String) -> Result<GatewayCommand, Refusal> {
        guard text.utf8.count <= maxFrameBytes else { return .failure(.invalid("The frame is too long")) }
        let data = Data(text.utf8)
        let decoder = JSONDecoder()
        guard let envelope = try? decoder.decode(Envelope.self, from: data) else {
            return .failure(.invalid("A frame is a JSON object with a string op"))
        }
        let op = envelope.op
        do {
            switch op {
            case "identify":
                let d = try decoder.decode(Frame<Identify>.self, from: data).d
                return .success(.identify(token: try token(d.token, op: op)))
            case "resume":
                let d = try decoder.decode(Frame<Resume>.self, from: data).d
                guard !d.sessionID.isEmpty, d.sessionID.utf8.count <= maxSessionIDBytes else {
                    return .failure(.invalid("d.session_id is not a session id", op: op))
                }
                guard d.seq >= 0 else { return .failure(.invalid("d.seq must be 0 or more", op: op)) }
                return .success(.resume(token: try token(d.token, op: op), sessionID: d.sessionID, sequence: d.seq))
            case "heartbeat":
                // `d` is informational (the client's last `s`); any value is accepted.
                return .success(.heartbeat)
            case "typing":
                let d = try decoder.decode(Frame<Typing>.self, from: data).d
                return .success(.typing(chatID: try positive(d.chatID, "d.chat_id", op: op)))
            case "send_message":
                let d = try decoder.decode(Frame<SendMessage>.self, from: data).d
                if let answer = d.messageAnswerID { _ = try positive(answer, "d.message_answer_id", op: op) }
                if let nonce = d.nonce, nonce.isEmpty || nonce.utf8.count > maxNonceBytes {
                    throw Refusal.invalid("d.nonce must be 1 to \(maxNonceBytes) characters", op: op)
                }
                return .success(
                    .sendMessage(
                        chatID: try positive(d.chatID, "d.chat_id", op: op),
                        text: d.text,
                        answerID: d.messageAnswerID,
                        nonce: d.nonce
                    )
                )
            case "read":
                let d = try decoder.decode(Frame<Read>.self, from: data).d
                return .success(
                    .read(
                        chatID: try positive(d.chatID, "d.chat_id", op: op),
                        messageID: try positive(d.messageID, "d.message_id", op: op)
                    )
                )
            default:
                return .failure(.unknownOp(op))
            }
        } catch let refusal as Refusal {
            return .failure(refusal)
        } catch {
            return .failure(.invalid("d is missing or has a field of the wrong type for \(op)", op: op))
        }
    }

    static func token(_ token: String, op: String) throws -> String {
        guard !token.isEmpty, token.utf8.count <= maxTokenBytes else {
            throw Refusal.invalid("d.token is not a token", op: op)
        }
        return token
    }

    static func positive(_ value: Int64, _ field: String, op: String) throws -> Int64 {
        guard value > 0 else { throw Refusal.invalid("\(field) must be a positive integer", op: op) }
        return value
    }

    private struct Envelope: Decodable {
        var op: String
    }

    private struct Frame<Payload: Decodable>: Decodable {
        var d: Payload
    }

    private struct Identify: Decodable {
        var token: String
    }

    private struct Resume: Decodable {
        var token: String
        var sessionID: String
        var seq: Int64

        enum CodingKeys: String, CodingKey {
            case token, seq
            case sessionID = "session_id"
        }
    }

    private struct Typing: Decodable {
        var chatID: Int64

        enum CodingKeys: String, CodingKey {
            case chatID = "chat_id"
        }
    }

    private struct SendMessage: Decodable {
        var chatID: Int64
        var text: String
        var messageAnswerID: Int64?
        var nonce: String?

        enum CodingKeys: String, CodingKey {
            case text, nonce
            case chatID = "chat_id"
            case messageAnswerID = "message_answer_id"
        }
    }

    private struct Read: Decodable {
        var chatID: Int64
        var messageID: Int64

        enum CodingKeys: String, CodingKey {
            case chatID = "chat_id"
            case messageID = "message_id"
        }
    }
}
