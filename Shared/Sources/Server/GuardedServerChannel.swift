import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// A server child channel (HTTP/1, or HTTP/1 with WebSocket upgrades) with the connection guards every
/// messenger server runs: the first request's head must arrive within ``HTTPTimeouts/header``
/// (``RequestHeadDeadlineHandler``), and requests the HTTP parser refuses get a JSON 400 and a close
/// (``MalformedRequestHandler``). Body and idle deadlines are set on the inner channel's
/// configuration (see ``HTTPServerBuilder/guarded(_:timeouts:)``).
struct GuardedServerChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value

    let inner: Inner
    let timeouts: HTTPTimeouts

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(
                RequestHeadDeadlineHandler(deadline: timeouts.header),
                position: .first
            )
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(MalformedRequestHandler(), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
