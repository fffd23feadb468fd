import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOWebSocket
import WSCore

/// One client's side of a QR hub WebSocket, as a test script drives it.
public final class HubConversation {
    var iterator: WebSocketInboundMessageStream.AsyncIterator
    let outbound: WebSocketOutboundWriter

    init(iterator: WebSocketInboundMessageStream.AsyncIterator, outbound: WebSocketOutboundWriter) {
        self.iterator = iterator
        self.outbound = outbound
    }

    /// Sends a JSON object.
    public func send(_ object: [String: String]) async throws {
        let data = try JSONSerialization.data(withJSONObject: object)
        try await outbound.write(.text(String(decoding: data, as: UTF8.self)))
    }

    /// Sends raw text.
    public func send(text: String) async throws {
        try await outbound.write(.text(text))
    }

    /// The next message as a JSON object, or `nil` once the server has closed the connection.
    public func next() async throws -> [String: Any]? {
        guard let message = try await iterator.next() else { return nil }
        guard case .text(let text) = message else { return ["binary": true] }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? ["text": text]
    }

    /// The `op` of the next message, or `nil` once closed.
    public func nextOp() async throws -> String? {
        try await next()?["op"] as? String
    }

    /// Closes the connection from the client side.
    public func close() async throws {
        try await outbound.close(.normalClosure, reason: nil)
    }
}

/// Connects to a hub WebSocket at `url` (as `userAgent`, when given), runs `script`, and returns its result
/// with the server's close code.
public func withHubConnection<Result: Sendable>(
    url: String,
    userAgent: String? = nil,
    timeout: Duration = .seconds(30),
    _ script: @escaping @Sendable (HubConversation) async throws -> Result
) async throws -> (result: Result, closeCode: WebSocketErrorCode?) {
    let box = ResultBox<Result>()
    var configuration = WebSocketClientConfiguration()
    configuration.additionalHeaders[.userAgent] = userAgent
    // A conversation that stalls fails after `timeout` instead of hanging the suite.
    let close = try await withThrowingTaskGroup(of: WebSocketCloseFrame?.self) { group in
        group.addTask { [configuration] in
            try await WebSocketClient.connect(
                url: url,
                configuration: configuration,
                logger: Logger(label: "hub-test")
            ) { inbound, outbound, _ in
                let iterator = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                await box.set(try await script(HubConversation(iterator: iterator, outbound: outbound)))
            }
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw HubConversationTimeout(url: url)
        }
        defer { group.cancelAll() }
        return try await group.next() ?? nil
    }
    guard let result = await box.value else { throw CancellationError() }
    return (result, close?.closeCode)
}

/// A random well-formed QR `client_id`.
public func makeClientID() -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    return String((0..<32).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
}

actor ResultBox<Value: Sendable> {
    private(set) var value: Value?

    func set(_ value: Value) {
        self.value = value
    }
}

/// A hub conversation that did not finish in time.
struct HubConversationTimeout: Error, CustomStringConvertible {
    var url: String

    var description: String { "hub conversation at \(url) did not finish in time" }
}
