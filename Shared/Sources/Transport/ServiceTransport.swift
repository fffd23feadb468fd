import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// How this process reaches the services: for each ``ServiceName`` its instances, each either a service
/// of this process (``LocalService``, called without a socket) or a URL called over HTTP, decided once
/// at start-up.
///
/// It is the one place where "in this process or over HTTP, with failover across instances" is written:
/// the internal client (``ServiceClient``), the gateway's proxy and its WebSocket relay all go through
/// it. A service none of whose instances answers is reported as ``APIError`` 503 naming it, so an outage
/// of one service is a clear 503 to the client, never a hang or a 500.
public struct ServiceTransport: Sendable {
    /// The shared secret every internal request carries (``InternalHeaders/token``).
    public let internalToken: String
    let httpClient: HTTPClient
    let services: [ServiceName: ServiceInstances]

    public init(services: [ServiceName: ServiceInstances], internalToken: String, httpClient: HTTPClient) {
        self.services = services
        self.internalToken = internalToken
        self.httpClient = httpClient
    }

    /// The services as `config` lists them (``MessengerConfig/instanceList(of:)``), with every URL that
    /// reaches one of `local` (``LocalService/isReached(by:)``) served in this process.
    public init(config: MessengerConfig, local: [LocalService], internalToken: String, httpClient: HTTPClient) {
        var services: [ServiceName: ServiceInstances] = [:]
        for name in ServiceName.upstreams {
            services[name] = ServiceInstances(
                config.instanceList(of: name),
                local: local.first { $0.name == name }
            )
        }
        self.init(services: services, internalToken: internalToken, httpClient: httpClient)
    }

    /// The instances of `service` (none when it has no place in this transport: every call is a 503).
    public func instances(of service: ServiceName) -> ServiceInstances {
        services[service] ?? ServiceInstances([])
    }

    /// Sends `request` to the first instance of `service` that takes it, in `order` when given (by
    /// default round-robin, see ``ServiceInstances/firstSuccess(in:isIdempotent:onFailure:attempt:)``),
    /// and returns the response as the service made it; an HTTP body streams.
    /// - Throws: ``APIError`` 503 naming the service when no instance answered.
    public func send(
        _ request: ServiceRequest,
        to service: ServiceName,
        in order: [ServiceInstance]? = nil,
        logger: Logger
    ) async throws -> Response {
        let response = await instances(of: service).firstSuccess(
            in: order,
            isIdempotent: request.isIdempotent,
            onFailure: { instance, error in
                logger.warning(
                    "upstream.failed",
                    metadata: [
                        "upstream": .string(service.rawValue), "instance": .string(instance.url),
                        "target": .string(request.target), "error": "\(String(reflecting: error))",
                    ]
                )
            },
            attempt: { instance in try await send(request, to: instance, logger: logger) }
        )
        if let response { return response }
        throw APIError.unavailable(service.displayName)
    }

    /// Sends `request` to `instance` alone: in this process when it is a service of it, else over HTTP.
    public func send(_ request: ServiceRequest, to instance: ServiceInstance, logger: Logger) async throws -> Response {
        var headers = request.headers
        headers[InternalHeaders.token] = internalToken
        if let local = instance.local {
            return try await local.respond(request.method, request.target, headers: headers, body: request.body)
        }
        var outbound = HTTPClientRequest(url: instance.url + request.target)
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in headers { outbound.headers.add(name: field.name.rawName, value: field.value) }
        if let body = request.body { outbound.body = .bytes(body) }
        let response = try await httpClient.execute(outbound, timeout: request.timeout, logger: logger)
        var fields = HTTPFields()
        for header in response.headers {
            guard let name = HTTPField.Name(header.name) else { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        return Response(
            status: HTTPResponse.Status(code: Int(response.status.code)),
            headers: fields,
            body: ResponseBody(asyncSequence: response.body)
        )
    }
}
