import Foundation
import NIOCore
import NIOPosix

/// The client side of one WebSocket connection for tests, written directly over TCP: RFC 6455's
/// opening handshake and framing, and nothing more.
///
/// The tests used to drive hubs with HummingbirdWSClient (swift-websocket 1.6.2 over NIO's typed client
/// upgrader). That client loses what arrives while its upgrade completes: when a server answers a
/// join at once with a message, a close frame and the end of the stream (as the QR hub does to a
/// third client), it sometimes saw none of them and waited forever (about 1 run in 200, seen with
/// tcpdump: the server had sent every byte and closed 2 ms after its 101). Reading the raw stream, this
/// client keeps every byte after the handshake.
final class TestWebSocketConnection {
    /// A data message.
    enum Message {
        case text(String)
        case binary([UInt8])
    }

    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var buffer = ByteBuffer()
    private var closeSent = false
    private var ended = false
    /// The status code of the server's close frame, once one has arrived (1005 when it had none).
    private(set) var closeCode: UInt16?

    init(inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
    }

    /// Sends the opening handshake for `target` (path and query), with `headers` added, and reads the
    /// server's answer.
    /// - Throws: ``TestWebSocketError/handshakeRefused(_:)`` unless the server answers 101.
    func open(host: String, target: String, userAgent: String?, headers: [(String, String)] = []) async throws {
        var key = [UInt8](repeating: 0, count: 16)
        for index in key.indices { key[index] = .random(in: 0...255) }
        var request = "GET \(target) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: \(Data(key).base64EncodedString())\r\nSec-WebSocket-Version: 13\r\n"
        if let userAgent { request += "User-Agent: \(userAgent)\r\n" }
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        try await outbound.write(ByteBuffer(string: request + "\r\n"))
        while true {
            let view = buffer.readableBytesView
            if let end = view.firstRange(of: [13, 10, 13, 10]) {
                let head = String(decoding: view[view.startIndex..<end.lowerBound], as: UTF8.self)
                buffer.moveReaderIndex(forwardBy: end.upperBound - view.startIndex)
                guard head.hasPrefix("HTTP/1.1 101") else {
                    // Swift reads "\r\n" as one Character, so the status line ends at the first "\r\n", not "\r".
                    let statusLine = head.components(separatedBy: "\r\n").first ?? head
                    throw TestWebSocketError.handshakeRefused(statusLine)
                }
                return
            }
            guard try await fill() else { throw TestWebSocketError.handshakeRefused("connection closed") }
        }
    }

    /// The next data message, or nil once the server has closed the connection (its close frame is
    /// answered, as RFC 6455 asks).
    func next() async throws -> Message? {
        var fragments: [UInt8] = []
        var fragmentedOpcode: UInt8?
        while !ended {
            guard let frame = try await nextFrame() else {
                ended = true
                return nil
            }
            switch frame.opcode {
            case 0x0, 0x1, 0x2:
                let opcode = frame.opcode == 0 ? (fragmentedOpcode ?? 0x1) : frame.opcode
                fragments += frame.payload
                guard frame.isFinal else {
                    fragmentedOpcode = opcode
                    continue
                }
                return opcode == 0x1 ? .text(String(decoding: fragments, as: UTF8.self)) : .binary(fragments)
            case 0x8:
                closeCode = frame.payload.count >= 2 ? UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]) : 1005
                if !closeSent { try? await send(opcode: 0x8, payload: Array(frame.payload.prefix(2))) }
                closeSent = true
                ended = true
            case 0x9:
                try await send(opcode: 0xA, payload: frame.payload)
            default:
                continue
            }
        }
        return nil
    }

    /// Sends a text message.
    func send(text: String) async throws {
        try await send(opcode: 0x1, payload: Array(text.utf8))
    }

    /// Sends a close frame with `code`.
    func close(code: UInt16 = 1000) async throws {
        guard !closeSent else { return }
        closeSent = true
        try await send(opcode: 0x8, payload: [UInt8(code >> 8), UInt8(code & 0xFF)])
    }

    /// Ends the conversation as a client should: closes (1000) unless a close was sent already, then
    /// reads until the server's close frame or the end of the stream, for at most `limit`.
    func finish(within limit: Duration = .seconds(10)) async {
        try? await close()
        let deadline = ContinuousClock.now + limit
        while !ended, ContinuousClock.now < deadline {
            guard (try? await next()) != nil else { break }
        }
    }

    private struct Frame {
        var isFinal: Bool
        var opcode: UInt8
        var payload: [UInt8]
    }

    /// The next whole frame, or nil at the end of the stream.
    private func nextFrame() async throws -> Frame? {
        while true {
            if let frame = try parseFrame() { return frame }
            guard try await fill() else { return nil }
        }
    }

    private func parseFrame() throws -> Frame? {
        let bytes = Array(buffer.readableBytesView)
        guard bytes.count >= 2 else { return nil }
        var headerLength = 2
        var length = UInt64(bytes[1] & 0x7F)
        if length == 126 {
            guard bytes.count >= 4 else { return nil }
            length = UInt64(bytes[2]) << 8 | UInt64(bytes[3])
            headerLength = 4
        } else if length == 127 {
            guard bytes.count >= 10 else { return nil }
            length = bytes[2..<10].reduce(0) { $0 << 8 | UInt64($1) }
            headerLength = 10
        }
        let masked = bytes[1] & 0x80 != 0
        let maskLength = masked ? 4 : 0
        guard length <= 1 << 24 else { throw TestWebSocketError.frameTooLarge }
        let total = headerLength + maskLength + Int(length)
        guard bytes.count >= total else { return nil }
        var payload = Array(bytes[(headerLength + maskLength)..<total])
        if masked {
            let mask = bytes[headerLength..<(headerLength + 4)].map { $0 }
            for index in payload.indices { payload[index] ^= mask[index % 4] }
        }
        buffer.moveReaderIndex(forwardBy: total)
        return Frame(isFinal: bytes[0] & 0x80 != 0, opcode: bytes[0] & 0x0F, payload: payload)
    }

    /// Reads the next chunk from the socket; false at the end of the stream.
    private func fill() async throws -> Bool {
        guard var chunk = try await inbound.next() else { return false }
        buffer.writeBuffer(&chunk)
        return true
    }

    /// Sends one final frame, masked as a client's must be.
    private func send(opcode: UInt8, payload: [UInt8]) async throws {
        var frame: [UInt8] = [0x80 | opcode]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            frame += (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(payload.count) >> (UInt64($0) * 8)) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try await outbound.write(ByteBuffer(bytes: frame))
    }
}

/// Why a test WebSocket could not be used.
public enum TestWebSocketError: Error, Equatable, CustomStringConvertible {
    case badURL(String)
    /// The server answered the opening handshake with this status line instead of `101`.
    case handshakeRefused(String)
    case frameTooLarge

    public var description: String {
        switch self {
        case .badURL(let url): "not a ws:// URL: \(url)"
        case .handshakeRefused(let status): "the server refused the WebSocket: \(status)"
        case .frameTooLarge: "a frame over 16 MiB"
        }
    }
}
