import Foundation
import Shared
import TestSupport

/// A dispatch of the gateway WebSocket as a test reads it (`data` holds JSONSerialization's immutable
/// values, so it may cross tasks).
struct Dispatch: @unchecked Sendable {
    var type: String
    var sequence: Int?
    var data: [String: Any]
    /// The frame as sent.
    var text: String
}

extension HubConversation {
    /// Sends a JSON value.
    func send(json: [String: Any]) async throws {
        let data = try JSONSerialization.data(withJSONObject: json)
        try await send(text: String(decoding: data, as: UTF8.self))
    }

    /// The next frame other than a heartbeat ack, parsed, with its text; `nil` once closed.
    func nextFrame() async throws -> (object: [String: Any], text: String)? {
        while let text = try await nextText() {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
                throw E2EFailure("not a JSON object: \(text)")
            }
            if object["op"] as? String == "heartbeat_ack" { continue }
            return (object, text)
        }
        return nil
    }

    /// The next dispatch; fails on any other frame.
    func nextDispatch() async throws -> Dispatch {
        guard let (object, text) = try await nextFrame() else {
            throw E2EFailure("closed (\(closeCode.map(String.init) ?? "no code")) while a dispatch was expected")
        }
        guard object["op"] as? String == "dispatch", let type = object["t"] as? String,
            let data = object["d"] as? [String: Any]
        else { throw E2EFailure("expected a dispatch, got \(text)") }
        return Dispatch(type: type, sequence: object["s"] as? Int, data: data, text: text)
    }

    /// The next dispatch of `type`, past any of other types (events of changes made before the
    /// connection can still arrive after READY: a client applies them by id).
    func nextDispatch(ofType type: String) async throws -> Dispatch {
        while true {
            let dispatch = try await nextDispatch()
            if dispatch.type == type { return dispatch }
        }
    }

    /// Reads `hello`, identifies with `token`, and returns READY.
    func identify(_ token: String) async throws -> Dispatch {
        let hello = try await nextFrame()
        guard hello?.object["op"] as? String == "hello" else {
            throw E2EFailure("expected hello: \(hello?.text ?? "")")
        }
        try await send(json: ["op": "identify", "d": ["token": token]])
        let ready = try await nextDispatch()
        guard ready.type == "READY" else { throw E2EFailure("expected READY, got \(ready.text)") }
        return ready
    }
}

extension RunningMessenger {
    /// The gateway WebSocket's URL.
    var gatewaySocketURL: String { "ws://127.0.0.1:\(config.port)/gateway/ws/" }
}

/// Frames the gateway sends, as the tests expect them to the byte.
enum GatewayFrameText {
    static let heartbeatAck = #"{"op":"heartbeat_ack","d":null,"s":null,"t":null}"#
}
