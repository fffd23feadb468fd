import Foundation
import NIOCore
import NIOPosix
import NIOWebSocket

/// One client's side of a WebSocket (a QR hub, or the gateway's), as a test script drives it.
///
/// A script uses it from one task at a time (it may hand it to a nested closure that it awaits), which is
/// what makes the unchecked `Sendable` safe.
public final class HubConversation: @unchecked Sendable {
    let connection: TestWebSocketConnection

    init(connection: TestWebSocketConnection) {
        self.connection = connection
    }

    /// Sends a JSON object.
    public func send(_ object: [String: String]) async throws {
        let data = try JSONSerialization.data(withJSONObject: object)
        try await connection.send(text: String(decoding: data, as: UTF8.self))
    }

    /// Sends raw text.
    public func send(text: String) async throws {
        try await connection.send(text: text)
    }

    /// The next message as a JSON object, or `nil` once the server has closed the connection.
    public func next() async throws -> [String: Any]? {
        guard let message = try await connection.next() else { return nil }
        guard case .text(let text) = message else { return ["binary": true] }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? ["text": text]
    }

    /// The next message's text (binary messages are `nil` too), or `nil` once closed.
    public func nextText() async throws -> String? {
        guard let message = try await connection.next() else { return nil }
        guard case .text(let text) = message else { return nil }
        return text
    }

    /// The status code of the server's close frame, once one has arrived.
    public var closeCode: UInt16? { connection.closeCode }

    /// The `op` of the next message, or `nil` once closed.
    public func nextOp() async throws -> String? {
        try await next()?["op"] as? String
    }

    /// Closes the connection from the client side.
    public func close() async throws {
        try await connection.close()
    }
}

/// Connects to a hub WebSocket at `url` (as `userAgent`, when given, and with `headers` added to the
/// handshake), runs `script`, closes, and returns the script's result with the server's close code.
public func withHubConnection<Result: Sendable>(
    url: String,
    userAgent: String? = nil,
    headers: [(String, String)] = [],
    timeout: Duration = .seconds(30),
    _ script: @escaping @Sendable (HubConversation) async throws -> Result
) async throws -> (result: Result, closeCode: WebSocketErrorCode?) {
    guard let components = URLComponents(string: url), components.scheme == "ws", let host = components.host,
        let port = components.port
    else { throw TestWebSocketError.badURL(url) }
    let target =
        (components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath)
        + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    // A conversation that stalls fails after `timeout` instead of hanging the suite.
    return try await withThrowingTaskGroup(of: (Result, WebSocketErrorCode?)?.self) { group in
        group.addTask {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            return try await channel.executeThenClose { inbound, outbound in
                let connection = TestWebSocketConnection(inbound: inbound, outbound: outbound)
                try await connection.open(
                    host: "\(host):\(port)",
                    target: target,
                    userAgent: userAgent,
                    headers: headers
                )
                let result = try await script(HubConversation(connection: connection))
                await connection.finish()
                return (result, connection.closeCode.map { WebSocketErrorCode(codeNumber: Int($0)) })
            }
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw HubConversationTimeout(url: url)
        }
        defer { group.cancelAll() }
        guard let outcome = try await group.next() ?? nil else { throw CancellationError() }
        return outcome
    }
}

/// Opens a hub connection at `url` (as `userAgent`, when given), reads its first message and holds the
/// connection open while `body` runs, then closes it: for tests of what others see while a hub is open.
/// - Returns: the `op` of the held connection's first message, and what `body` returned.
public func withHeldHubConnection<Result: Sendable>(
    url: String,
    userAgent: String? = nil,
    _ body: @Sendable () async throws -> Result
) async throws -> (firstOp: String?, result: Result) {
    let opened = AsyncStream<Void>.makeStream()
    let release = AsyncStream<Void>.makeStream()
    async let held = {
        // However the connection ends, `body` must not wait for it forever.
        defer { opened.continuation.finish() }
        return try await withHubConnection(url: url, userAgent: userAgent) { hub in
            let first = try await hub.nextOp()
            opened.continuation.finish()
            for await _ in release.stream {}
            try await hub.close()
            return first
        }
    }()
    for await _ in opened.stream {}
    let result: Result
    do {
        result = try await body()
    } catch {
        release.continuation.finish()
        _ = try? await held
        throw error
    }
    release.continuation.finish()
    return (try await held.result, result)
}

/// A random well-formed QR `client_id`.
public func makeClientID() -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    return String((0..<32).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
}

/// A hub conversation that did not finish in time.
struct HubConversationTimeout: Error, CustomStringConvertible {
    var url: String

    var description: String { "hub conversation at \(url) did not finish in time" }
}
