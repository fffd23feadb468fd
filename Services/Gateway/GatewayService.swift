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
        transport: ServiceTransport,
        verifier: TokenVerifier,
        maxBodySize: Int,
        mediaDirectory: String? = nil,
        trustedProxies: TrustedProxies = .loopback,
        docs: APIDocsRoutes? = nil,
        logger: Logger = Logger(label: "gateway")
    ) -> Router<MessengerRequestContext> {
        let router = Router(context: MessengerRequestContext.self)
        router.add(middleware: RequestLogMiddleware(addressSource: .edge, trustedProxies: trustedProxies))
        router.add(middleware: APIErrorMiddleware())
        router.add(middleware: QueryTextMiddleware())
        router.add(middleware: ProxyMiddleware(transport: transport, verifier: verifier, maxBodySize: maxBodySize))
        if let mediaDirectory {
            router.add(middleware: MediaFileMiddleware(directory: mediaDirectory, logger: logger))
        }
        GatewayRoutes(verifier: verifier, transport: transport).addRoutes(to: router)
        HubRelay(transport: transport).addRoutes(to: router)
        docs?.addRoutes(to: router)
        return router
    }

    /// Builds the gateway's application on `config.host:config.port`, with the revocation poller and
    /// the API contract (its viewers when their files are installed, see ``APIDocsAssets``).
    /// - Throws: ``APIDocumentError`` when the contract compiled in does not parse.
    public static func makeApplication(_ environment: ServiceEnvironment) throws -> some ApplicationProtocol {
        let config = environment.config
        let transport = environment.transport
        let logger = environment.logger.with(service: .gateway)
        let auth = environment.client(of: .auth)
        let revocations = RevocationList(tokenLifetime: TimeInterval(config.accessTokenLifetime))
        let verifier = TokenVerifier(source: AuthServiceKeySource(client: auth), revocations: revocations)
        let router = makeRouter(
            transport: transport,
            verifier: verifier,
            maxBodySize: config.maxBodySize,
            mediaDirectory: config.s3 == nil ? config.mediaDirectory : nil,
            trustedProxies: config.trustedProxies,
            docs: APIDocsRoutes(
                contract: try APIContract.embedded(),
                assets: APIDocsAssets.load(from: config.apiDocsAssets),
                assetsDirectory: config.apiDocsAssets
            ),
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
