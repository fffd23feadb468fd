import NIOCore

/// Closes a new connection whose first request head (request line and headers, up to the blank line)
/// has not arrived in full within the deadline, then leaves the pipeline.
///
/// It sits first in the pipeline and sees raw bytes, because a server that accepts WebSocket upgrades
/// builds its HTTP handlers (and Hummingbird's idle timer) only after that first head: without it, a
/// client that never finishes its headers holds the socket for good. Later requests on the connection
/// are bounded by the idle timer of ``HTTPTimeouts/idle``.
final class RequestHeadDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let deadline: TimeAmount
    private var timer: Scheduled<Void>?
    /// The last bytes seen, to find a blank line split across reads.
    private var tail: UInt32 = 0
    private var headComplete = false

    init(deadline: TimeAmount) {
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !headComplete {
            let buffer = unwrapInboundIn(data)
            for byte in buffer.readableBytesView {
                tail = tail << 8 | UInt32(byte)
                // CRLF CRLF ends a head; a bare LF LF too, for the parser's sake of lenient clients.
                if tail == 0x0D0A_0D0A || tail & 0xFFFF == 0x0A0A {
                    headComplete = true
                    break
                }
            }
        }
        context.fireChannelRead(data)
        if headComplete {
            timer?.cancel()
            timer = nil
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    private func start(_ context: ChannelHandlerContext) {
        guard timer == nil, !headComplete else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: deadline) {
            // Told as the end of the client's input first, so a WebSocket-capable server's upgrade
            // negotiation ends quietly (Hummingbird logs any other failure of it as an error).
            loopBound.value.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
            loopBound.value.close(promise: nil)
        }
    }
}
