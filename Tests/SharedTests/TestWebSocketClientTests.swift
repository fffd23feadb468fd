import Crypto
import Foundation
import NIOCore
import NIOPosix
import NIOWebSocket
import TestSupport
import Testing

/// The test WebSocket client keeps what a server sends in the same segment as its 101: the condition
/// under which HummingbirdWSClient lost a hub's answer, its close frame and the end of the stream
/// (`QRLoginTests.thirdClientIsTurnedAway`, about 1 run in 200).
@Suite struct TestWebSocketClientTests {
    /// A server that answers any request with a 101, a text frame, a close frame (1000) and FIN, all in
    /// one write.
    static func startEagerServer() async throws -> (any Channel, Int) {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(EagerUpgradeHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return (channel, channel.localAddress?.port ?? 0)
    }

    @Test func framesAndCloseInTheSegmentOfThe101AreKept() async throws {
        let (server, port) = try await Self.startEagerServer()
        defer { server.close(promise: nil) }
        for _ in 0..<20 {
            let outcome = try await withHubConnection(url: "ws://127.0.0.1:\(port)/hub", timeout: .seconds(5)) { hub in
                let first = try await hub.nextOp()
                let after = try await hub.next()
                return [first ?? "nil", after == nil ? "closed" : "more"]
            }
            #expect(outcome.result == ["clients already in hub", "closed"])
            #expect(outcome.closeCode == .normalClosure)
        }
    }
}

private final class EagerUpgradeHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var answered = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        answered = true
        let request = String(buffer: unwrapInboundIn(data))
        let key =
            request.split(separator: "\r\n").first { $0.lowercased().hasPrefix("sec-websocket-key:") }?
            .dropFirst("sec-websocket-key:".count).trimmingCharacters(in: .whitespaces) ?? ""
        let accept = Data(Insecure.SHA1.hash(data: Data((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8)))
            .base64EncodedString()
        let text = Array(#"{"op":"clients already in hub"}"#.utf8)
        var bytes = Array(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: \(accept)\r\n\r\n"
                .utf8
        )
        bytes += [0x81, UInt8(text.count)] + text
        bytes += [0x88, 0x02, 0x03, 0xE8]
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: nil)
        context.close(mode: .output, promise: nil)
    }
}
