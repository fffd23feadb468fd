import Hummingbird
import Logging
import Shared

/// The gateway's own routes: `/health` and seed function 7, `/gateway/get-token/`.
public struct GatewayRoutes: Sendable {
    let verifier: TokenVerifier
    let transport: ServiceTransport

    public init(verifier: TokenVerifier, transport: ServiceTransport) {
        self.verifier = verifier
        self.transport = transport
    }

    public func addRoutes(to router: Router<MessengerRequestContext>) {
        router.get("/health", use: health)
        router.get("/gateway/get-token", use: getToken)
        for page in WebPage.all {
            router.get(RouterPath(page.path)) { request, _ in page.response(host: request.head.authority) }
        }
    }

    /// Seed function 7: 200 with the caller in `X-User-Id`/`X-Session-Id` (for nginx `auth_request`), or 401.
    @Sendable func getToken(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        let caller = try await verifier.caller(authorization: request.headers[.authorization], logger: context.logger)
        var response = try IdentityOutput(userID: caller.userID, sessionID: caller.sessionID).response()
        response.headers[InternalHeaders.userID] = String(caller.userID)
        response.headers[InternalHeaders.sessionID] = caller.sessionID
        return response
    }

    /// The gateway and each upstream's `/health`. Each upstream is `ok` (every instance answers 200),
    /// `degraded` (some do) or `down` (none do). 200 with `"status":"ok"` only when every upstream is ok;
    /// otherwise 503 with `"status":"degraded"`, so a load balancer or an orchestrator sees at once that
    /// this gateway cannot reach all of what it serves.
    @Sendable func health(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        let states = await withTaskGroup(of: (ServiceName, Bool).self) { group in
            for service in ServiceName.upstreams {
                for instance in transport.instances(of: service).all {
                    group.addTask { (service, await isHealthy(instance, logger: context.logger)) }
                }
            }
            var answers: [String: [Bool]] = [:]
            for await (service, healthy) in group { answers[service.rawValue, default: []].append(healthy) }
            return answers.mapValues { results in
                results.allSatisfy { $0 } ? "ok" : results.contains(true) ? "degraded" : "down"
            }
        }
        let healthy = states.values.allSatisfy { $0 == "ok" }
        return try GatewayHealth(status: healthy ? "ok" : "degraded", upstreams: states)
            .response(status: healthy ? .ok : .serviceUnavailable)
    }

    /// Whether `instance` answers its `/health` with 200 within 2 s.
    func isHealthy(_ instance: ServiceInstance, logger: Logger) async -> Bool {
        do {
            let response = try await transport.send(
                ServiceRequest(.get, "/health", timeout: .seconds(2)),
                to: instance,
                logger: logger
            )
            _ = try? await response.collectBody(upTo: 1 << 16, service: .gateway)
            return response.status.code == 200
        } catch {
            return false
        }
    }
}

/// Body of `/gateway/get-token/`.
struct IdentityOutput: Encodable {
    var userID: Int64
    var sessionID: String

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case sessionID = "session_id"
    }
}

/// Body of the gateway's `/health`.
struct GatewayHealth: Encodable {
    var status: String
    var upstreams: [String: String]
}
