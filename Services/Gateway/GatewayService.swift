import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import Shared

/// The gateway: the one public entry. Verifies tokens, forwards to the services, answers `/health`
/// and `/gateway/get-token/`, and serves locally stored avatars under `/media/`.
public enum GatewayService {
    /// Builds the router from its dependencies.
    public static func makeRouter(
        upstreams: [ProxyRoute.Upstream: String],
        internalToken: String,
        verifier: TokenVerifier,
        httpClient: HTTPClient,
        maxBodySize: Int,
        mediaDirectory: String? = nil,
        trustedProxies: TrustedProxies = .loopback,
        inProcess: InProcessServices? = nil,
        logger: Logger = Logger(label: "gateway")
    ) -> Router<MessengerRequestContext> {
        let router = Router(context: MessengerRequestContext.self)
        router.add(middleware: RequestLogMiddleware(addressSource: .edge, trustedProxies: trustedProxies))
        router.add(middleware: APIErrorMiddleware())
        router.add(middleware: QueryTextMiddleware())
        let instances = upstreams.mapValues { ServiceInstances($0) }
        router.add(
            middleware: ProxyMiddleware(
                upstreams: instances,
                internalToken: internalToken,
                verifier: verifier,
                httpClient: httpClient,
                maxBodySize: maxBodySize,
                inProcess: inProcess
            )
        )
        if let mediaDirectory {
            router.add(middleware: MediaFileMiddleware(directory: mediaDirectory, logger: logger))
        }
        GatewayRoutes(verifier: verifier, upstreams: instances, httpClient: httpClient).addRoutes(to: router)
        if let auth = instances[.auth] {
            HubRelay(auth: auth, internalToken: internalToken, inProcess: inProcess).addRoutes(to: router)
        }
        return router
    }

    /// Builds the gateway's application on `config.host:config.port`, with the revocation poller.
    public static func makeApplication(
        config: MessengerConfig,
        internalToken: String,
        httpClient: HTTPClient,
        inProcess: InProcessServices? = nil,
        logger: Logger
    )
        -> some ApplicationProtocol
    {
        let logger = logger.with(service: "gateway")
        let auth = ServiceClient(
            name: "Auth",
            baseURL: config.resolvedAuthURL,
            internalToken: internalToken,
            httpClient: httpClient,
            inProcess: inProcess
        )
        let revocations = RevocationList(tokenLifetime: TimeInterval(config.accessTokenLifetime))
        let verifier = TokenVerifier(source: AuthServiceKeySource(client: auth), revocations: revocations)
        let upstreams: [ProxyRoute.Upstream: String] = [
            .auth: config.resolvedAuthURL, .users: config.resolvedUsersURL, .chat: config.resolvedChatURL,
        ]
        let router = makeRouter(
            upstreams: upstreams,
            internalToken: internalToken,
            verifier: verifier,
            httpClient: httpClient,
            maxBodySize: config.maxBodySize,
            mediaDirectory: config.s3 == nil ? config.mediaDirectory : nil,
            trustedProxies: config.trustedProxies,
            inProcess: inProcess,
            logger: logger
        )
        var app = Application(
            responder: MethodCheckingResponder(router: router),
            server: .guardedHTTP1WebSocketUpgrade(webSocketRouter: router, timeouts: config.httpTimeouts),
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: nil),
            logger: logger
        )
        app.addServices(RevocationPoller(client: auth, list: revocations, logger: logger))
        return app
    }
}
