import AsyncHTTPClient
import Hummingbird
import NIOHTTP1
import Shared

/// The gateway's own routes: `/health` and seed function 7, `/gateway/get-token/`.
public struct GatewayRoutes: Sendable {
    let verifier: TokenVerifier
    let upstreams: [ProxyRoute.Upstream: ServiceInstances]
    let httpClient: HTTPClient

    public init(
        verifier: TokenVerifier,
        upstreams: [ProxyRoute.Upstream: ServiceInstances],
        httpClient: HTTPClient
    ) {
        self.verifier = verifier
        self.upstreams = upstreams
        self.httpClient = httpClient
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
    /// `degraded` (some do) or `down` (none do). 200 while every upstream has an instance that answers,
    /// so a load balancer keeps a gateway that can still serve; 503 otherwise.
    @Sendable func health(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        let states = await withTaskGroup(of: (String, Bool).self) { group in
            for (upstream, instances) in upstreams {
                for base in instances.urls {
                    group.addTask { (upstream.rawValue, await isHealthy(base)) }
                }
            }
            var answers: [String: [Bool]] = [:]
            for await (name, healthy) in group { answers[name, default: []].append(healthy) }
            return answers.mapValues { results in
                results.allSatisfy { $0 } ? "ok" : results.contains(true) ? "degraded" : "down"
            }
        }
        let serving = states.values.allSatisfy { $0 != "down" }
        let healthy = states.values.allSatisfy { $0 == "ok" }
        return try GatewayHealth(status: healthy ? "ok" : "degraded", upstreams: states)
            .response(status: serving ? .ok : .serviceUnavailable)
    }

    func isHealthy(_ base: String) async -> Bool {
        do {
            let response = try await httpClient.execute(HTTPClientRequest(url: base + "/health"), timeout: .seconds(2))
            _ = try? await response.body.collect(upTo: 1 << 16)
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
