import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Gives each request an id and logs one line when it is answered.
///
/// The id is the client's `X-Request-Id` when it is a sane token (the gateway's, for internal calls),
/// otherwise a new random one. It is attached to the request's logger, returned in the response, and
/// passed on by ``ServiceClient``. The line carries method, path (without the query, which may hold
/// secrets), status, duration and id.
public struct RequestLogMiddleware: RouterMiddleware {
    public typealias Context = MessengerRequestContext

    /// Where the client's address comes from.
    public enum AddressSource: Sendable {
        /// The public edge (the gateway): the peer, or `X-Real-IP` when the peer is one of the trusted
        /// proxies (nginx).
        case edge
        /// An internal service: `X-Forwarded-For` as the gateway set it (clients cannot set it: the gateway
        /// strips it), else the peer.
        case gateway
    }

    let addressSource: AddressSource
    let trustedProxies: TrustedProxies

    public init(addressSource: AddressSource, trustedProxies: TrustedProxies = .loopback) {
        self.addressSource = addressSource
        self.trustedProxies = trustedProxies
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        let requestID = Self.acceptedID(request.headers[InternalHeaders.requestID]) ?? Self.makeID()
        context.requestID = requestID
        context.language = Language(acceptLanguage: request.headers[.acceptLanguage])
        context.clientAddress = clientAddress(of: request, peer: context.peerAddress)
        context.logger[metadataKey: "request_id"] = .string(requestID)
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = APIErrorMiddleware<Context>.response(
                for: APIErrorMiddleware<Context>.apiError(for: error, logger: context.logger),
                in: context.language
            )
        }
        response.headers[InternalHeaders.requestID] = requestID
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        // Internal polling (`/internal/...`) would drown the log at info level.
        let level: Logger.Level = request.uri.path.hasPrefix("/internal/") ? .debug : .info
        context.logger.log(
            level: level,
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .string(String(format: "%.2f", milliseconds)),
            ]
        )
        return response
    }

    func clientAddress(of request: Request, peer: String?) -> String {
        switch addressSource {
        case .edge:
            if trustedProxies.contains(peer), let real = request.headers[Self.realIP], !real.isEmpty, real.count <= 64 {
                return real
            }
            return peer ?? "unknown"
        case .gateway:
            return request.headers[InternalHeaders.clientAddress] ?? peer ?? "unknown"
        }
    }

    static let realIP = HTTPField.Name("X-Real-IP")!

    /// A client-supplied id is kept only if it is 1-128 characters of `[A-Za-z0-9._-]`.
    static func acceptedID(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.utf8.count),
            value.utf8.allSatisfy({
                $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            })
        else { return nil }
        return value
    }

    static func makeID() -> String {
        Hex.random(bytes: 16)
    }
}

extension UInt8 {
    var isASCIIAlphanumeric: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
    }
}
