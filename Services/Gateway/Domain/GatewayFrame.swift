import Shared

/// The frames the gateway sends: JSON text `{"op", "d", "s", "t"}`, with `s` and `t` set on dispatches
/// only (Discord's payload, ops by name).
enum GatewayFrame {
    /// The first frame of every connection.
    static func hello(heartbeatInterval: Int) -> String {
        #"{"op":"hello","d":{"heartbeat_interval":\#(heartbeatInterval)},"s":null,"t":null}"#
    }

    static let heartbeatAck = #"{"op":"heartbeat_ack","d":null,"s":null,"t":null}"#

    /// Asks the client for a heartbeat now.
    static let heartbeatRequest = #"{"op":"heartbeat","d":null,"s":null,"t":null}"#

    /// The session cannot be resumed (`resumable: false`: identify again and catch up over REST).
    static func invalidSession(resumable: Bool) -> String {
        #"{"op":"invalid_session","d":{"resumable":\#(resumable)},"s":null,"t":null}"#
    }

    /// An event: `payload` is the `d` object's JSON text, `sequence` its position (or null).
    static func dispatch(_ type: String, sequence: Int64?, payload: String) -> String {
        var text = #"{"op":"dispatch","d":"#
        text.reserveCapacity(payload.utf8.count + type.utf8.count + 48)
        text += payload
        text += #","s":"#
        text += sequence.map(String.init) ?? "null"
        text += #","t":""#
        text += type
        text += #""}"#
        return text
    }

    /// `event` as the connection of gateway session `sessionID` receives it: with the client's `nonce`
    /// added to `d` when that connection's `send_message` caused it.
    static func dispatch(_ event: StoredEvent, to sessionID: String?) -> String {
        guard let nonce = event.nonce, let origin = event.originSession, origin == sessionID,
            event.payload.hasSuffix("}")
        else {
            return dispatch(event.type, sequence: event.position, payload: event.payload)
        }
        var writer = JSONWriter(capacity: nonce.utf8.count + 16)
        writer.object { $0.field("nonce", nonce) }
        let member = writer.text.dropFirst()  // `"nonce":"…"}`
        let body = event.payload.dropLast()
        let payload = body.hasSuffix("{") ? body + member : body + "," + member
        return dispatch(event.type, sequence: event.position, payload: String(payload))
    }

    /// A refused frame; the connection stays open.
    static func error(_ refusal: GatewayCommand.Refusal, nonce: String? = nil) -> String {
        var writer = JSONWriter(capacity: 128)
        writer.object { object in
            object.field("code", Int64(refusal.code))
            object.field("detail", refusal.detail)
            if let op = refusal.op { object.field("op", op) }
            if let nonce { object.field("nonce", nonce) }
        }
        return #"{"op":"error","d":"# + writer.text + #","s":null,"t":null}"#
    }
}
