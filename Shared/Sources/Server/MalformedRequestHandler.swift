import NIOCore
import NIOHTTP1

/// Answers a request the HTTP parser refuses (a space before a header's colon, both `Content-Length`
/// and `Transfer-Encoding`, a bad request line...) with `400 {"detail": ...}` and closes the
/// connection, instead of leaving the client waiting on an open socket.
///
/// It sits right after the request decoder and only looks at errors; it passes every read on
/// untouched, so it stays harmless in a pipeline that was upgraded to WebSocket.
final class MalformedRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundOut = HTTPServerResponsePart

    private static let body = #"{"detail":"Malformed HTTP request"}"#

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        // A request cut off by the end of the client's input (or by a deadline) gets no answer.
        guard parserError != .invalidEOFState else {
            Self.end(context)
            return
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(Self.body.utf8.count))
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: Self.body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        Self.end(context)
    }

    /// Closes the connection, telling the handlers after this one first that the client's input has
    /// ended, so a WebSocket-capable server's upgrade negotiation ends quietly (Hummingbird logs any
    /// other failure of it as an error).
    private static func end(_ context: ChannelHandlerContext) {
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        context.close(promise: nil)
    }
}
