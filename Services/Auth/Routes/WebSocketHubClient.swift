import HummingbirdWebSocket
import NIOWebSocket

/// A hub client over a WebSocket connection.
struct WebSocketHubClient: QRHubClient {
    let outbound: WebSocketOutboundWriter

    func send(_ text: String) async {
        try? await outbound.write(.text(text))
    }

    func close() async {
        try? await outbound.close(.normalClosure, reason: nil)
    }
}
