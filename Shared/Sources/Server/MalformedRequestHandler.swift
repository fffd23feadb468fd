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
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
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
        context.close(promise: nil)
    }
}
