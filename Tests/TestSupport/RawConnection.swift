import Foundation
import NIOCore
import NIOPosix

/// A plain TCP connection to a test server, for clients no HTTP library would be: idle sockets,
/// headers sent a line at a time, malformed requests.
public struct RawConnection: Sendable {
    /// What happened to the connection.
    public struct Outcome: Sendable {
        /// Everything the server sent.
        public var received: String
        /// Whether the server closed the connection (within the wait).
        public var closedByServer: Bool
        /// Seconds from connecting until the server closed (or the wait ended).
        public var seconds: Double
    }

    /// Connects to `host:port`, sends `chunks` with `pause` between them (stopping when the server has
    /// closed), and waits up to `wait` seconds in all for the server to close the connection.
    public static func exchange(
        host: String = "127.0.0.1",
        port: Int,
        chunks: [String],
        pause: Duration = .zero,
        wait: Double
    ) async throws -> Outcome {
        let start = ContinuousClock.now
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await withThrowingTaskGroup(of: Outcome?.self) { group in
                group.addTask {
                    var received = ByteBuffer()
                    do {
                        for try await var chunk in inbound { received.writeBuffer(&chunk) }
                    } catch {
                        // A reset is a close too.
                    }
                    let elapsed = (ContinuousClock.now - start).components
                    let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                    return Outcome(received: String(buffer: received), closedByServer: true, seconds: seconds)
                }
                group.addTask {
                    for (index, chunk) in chunks.enumerated() {
                        if index > 0, pause > .zero { try await Task.sleep(for: pause) }
                        do {
                            try await outbound.write(ByteBuffer(string: chunk))
                        } catch {
                            break
                        }
                    }
                    let elapsed = ContinuousClock.now - start
                    let remaining = Duration.seconds(wait) - elapsed
                    if remaining > .zero { try await Task.sleep(for: remaining) }
                    return nil
                }
                var outcome = Outcome(received: "", closedByServer: false, seconds: wait)
                if let first = try await group.next(), let closed = first {
                    outcome = closed
                }
                group.cancelAll()
                return outcome
            }
        }
    }
}
