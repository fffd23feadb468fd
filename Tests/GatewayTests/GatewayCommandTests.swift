import Testing

@testable import Gateway

/// The client frames of the gateway WebSocket: what is accepted, and how a refusal names the problem.
@Suite struct GatewayCommandTests {
    @Test(arguments: [
        (#"{"op":"identify","d":{"token":"abc"}}"#, GatewayCommand.identify(token: "abc")),
        (#"{"op":"heartbeat","d":17}"#, .heartbeat),
        (#"{"op":"heartbeat"}"#, .heartbeat),
        (
            #"{"op":"resume","d":{"token":"t","session_id":"s1","seq":42}}"#,
            .resume(token: "t", sessionID: "s1", sequence: 42)
        ),
        (#"{"op":"typing","d":{"chat_id":7}}"#, .typing(chatID: 7)),
        (
            #"{"op":"send_message","d":{"chat_id":7,"text":"hi","nonce":"n-1"}}"#,
            .sendMessage(chatID: 7, text: "hi", answerID: nil, nonce: "n-1")
        ),
        (
            #"{"op":"send_message","d":{"chat_id":7,"text":"re","message_answer_id":3}}"#,
            .sendMessage(chatID: 7, text: "re", answerID: 3, nonce: nil)
        ),
        (#"{"op":"read","d":{"chat_id":7,"message_id":9}}"#, .read(chatID: 7, messageID: 9)),
    ])
    func accepts(frame: String, command: GatewayCommand) throws {
        #expect(try GatewayCommand.parse(frame).get() == command)
    }

    @Test(
        arguments: [
            ("", 4002, nil),
            ("[]", 4002, nil),
            (#"{"op":5}"#, 4002, nil),
            (#"{"op":"dance"}"#, 4001, "dance"),
            (#"{"op":"identify"}"#, 4002, "identify"),
            (#"{"op":"identify","d":{"token":""}}"#, 4002, "identify"),
            (#"{"op":"resume","d":{"token":"t","session_id":"s","seq":-1}}"#, 4002, "resume"),
            (#"{"op":"typing","d":{"chat_id":0}}"#, 4002, "typing"),
            (#"{"op":"read","d":{"chat_id":1,"message_id":99999999999999999999}}"#, 4002, "read"),
            (#"{"op":"send_message","d":{"chat_id":1,"text":"x","nonce":""}}"#, 4002, "send_message"),
        ] as [(String, Int, String?)]
    )
    func refuses(frame: String, code: Int, op: String?) {
        guard case .failure(let refusal) = GatewayCommand.parse(frame) else {
            Issue.record("accepted \(frame)")
            return
        }
        #expect(refusal.code == code)
        #expect(refusal.op == op)
    }

    @Test func refusesFramesOverTheLimitUnread() {
        let long = #"{"op":"heartbeat","d":""# + String(repeating: "x", count: GatewayCommand.maxFrameBytes) + #""}"#
        guard case .failure(let refusal) = GatewayCommand.parse(long) else {
            Issue.record("accepted a long frame")
            return
        }
        #expect(refusal.code == 4002)
    }

    @Test func aNonceIsEchoedOnlyToTheConnectionThatSentIt() {
        let event = StoredEvent(
            position: 9,
            type: "MESSAGE_CREATE",
            recipients: [1, 2],
            payload: #"{"id":5}"#,
            originSession: "mine",
            nonce: "n\"1"
        )
        #expect(
            GatewayFrame.dispatch(event, to: "mine")
                == #"{"op":"dispatch","d":{"id":5,"nonce":"n\"1"},"s":9,"t":"MESSAGE_CREATE"}"#
        )
        #expect(
            GatewayFrame.dispatch(event, to: "other") == #"{"op":"dispatch","d":{"id":5},"s":9,"t":"MESSAGE_CREATE"}"#
        )
    }
}
