import Hummingbird
import NIOCore

extension Response {
    /// The body, read into one buffer of at most `limit` bytes.
    /// - Throws: ``APIError`` 503 naming `service` when the body is larger.
    public consuming func collectBody(upTo limit: Int, service: ServiceName) async throws -> ByteBuffer {
        let sink = BodySink(limit: limit)
        try await body.write(CollectingWriter(sink: sink))
        guard !sink.overflowed else { throw APIError.unavailable(service.displayName) }
        return sink.buffer
    }
}

/// Where ``CollectingWriter`` puts the bytes it is given.
final class BodySink {
    let limit: Int
    var buffer = ByteBuffer()
    var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }
}

/// A response body writer that keeps what is written, up to a limit.
struct CollectingWriter: ResponseBodyWriter {
    let sink: BodySink

    mutating func write(_ buffer: ByteBuffer) async throws {
        guard sink.buffer.readableBytes + buffer.readableBytes <= sink.limit else {
            sink.overflowed = true
            return
        }
        var buffer = buffer
        sink.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
