import Foundation
import Logging
import PostgresNIO
import Shared

/// Everything Auth's routes and background work are made of, built once per process: stores, the
/// clients of other services, keys and settings. A new dependency is one property here and one line in
/// ``init(config:keys:database:profiles:directory:yandexProvider:)``; tests build the same value with
/// their own ``ProfileRegistrar`` and ``UserDirectory``.
public struct AuthDependencies: Sendable {
    public var accounts: PostgresAccountStore
    public var sessions: PostgresSessionStore
    public var grants: PostgresQRGrantStore
    public var oauthStates: PostgresOAuthStateStore
    /// Where profiles of new users are created (Users).
    public var profiles: any ProfileRegistrar
    /// Who users are, for the QR login (Users).
    public var directory: any UserDirectory
    public var hasher: PasswordHasher
    public var sessionIssuer: SessionIssuer
    public var signingKey: SigningKey
    public var qrSealer: QRTicketSealer
    public var hubs: QRHubRegistry
    /// The link a QR code encodes, with `{client_id}`.
    public var qrLoginURLTemplate: String
    /// The Yandex client, when a client id and secret are configured (its routes answer 503 otherwise).
    public var yandex: YandexSettings?
    public var yandexProvider: (any YandexIdentityProvider)?
    public var yandexStateSealer: YandexStateSealer
    /// Whether cookies get the `Secure` attribute (the public URL is https).
    public var secureCookies: Bool

    /// - Parameter yandexProvider: Yandex ID's API; by default the real one when the client is configured.
    public init(
        config: MessengerConfig,
        keys: Secrets.AuthKeys,
        database: PostgresClient,
        profiles: any ProfileRegistrar,
        directory: any UserDirectory,
        yandexProvider: (any YandexIdentityProvider)? = nil
    ) async throws {
        accounts = PostgresAccountStore(client: database)
        sessions = PostgresSessionStore(client: database)
        grants = PostgresQRGrantStore(client: database)
        oauthStates = PostgresOAuthStateStore(client: database)
        self.profiles = profiles
        self.directory = directory
        hasher = PasswordHasher(cost: config.bcryptCost)
        signingKey = keys.signingKey
        sessionIssuer = SessionIssuer(
            sessions: sessions,
            issuer: await TokenIssuer(signingKey: keys.signingKey, lifetime: config.accessTokenLifetime),
            sessionLifetime: config.refreshTokenLifetime
        )
        qrSealer = try QRTicketSealer(base64Key: keys.qrTicketKey)
        hubs = QRHubRegistry(settings: Self.hubSettings(config))
        qrLoginURLTemplate = try Self.checkedQRLoginURL(config.resolvedQRLoginURL)
        yandex = Self.yandexSettings(config)
        self.yandexProvider = yandexProvider ?? yandex.map { YandexIDClient(settings: $0, http: CurlHTTPClient()) }
        yandexStateSealer = try YandexStateSealer(base64Key: keys.oauthStateKey)
        secureCookies = config.resolvedPublicURL.hasPrefix("https://")
    }

    /// `template`, once a link with the longest `client_id` is known to fit in a QR code: a template too
    /// long stops the start-up with one line instead of failing every QR image later.
    /// - Throws: ``ConfigError`` naming `QR_LOGIN_URL`.
    static func checkedQRLoginURL(_ template: String) throws -> String {
        let longest = String(repeating: "x", count: QRClientID.length.upperBound)
        do {
            _ = try QRCode(encoding: template.replacingOccurrences(of: "{client_id}", with: longest))
        } catch {
            throw ConfigError(
                variable: "QR_LOGIN_URL",
                reason: "is too long for a QR code (\(template.utf8.count) bytes)"
            )
        }
        return template
    }

    /// The QR hubs' limits and timing from the configuration.
    static func hubSettings(_ config: MessengerConfig) -> QRHubRegistry.Settings {
        var settings = QRHubRegistry.Settings()
        settings.hubsPerAddress = config.qrHubsPerAddress
        settings.hubLifetime = .seconds(config.qrHubLifetime)
        settings.heartbeatInterval = .seconds(config.qrHeartbeatInterval)
        return settings
    }

    /// The Yandex client settings, when a client id and secret are configured.
    static func yandexSettings(_ config: MessengerConfig) -> YandexSettings? {
        guard let clientID = config.yandexClientID, let secret = config.yandexClientSecret else { return nil }
        return YandexSettings(
            oauthURL: config.yandexOAuthURL,
            loginURL: config.yandexLoginURL,
            clientID: clientID,
            clientSecret: secret,
            redirectURI: config.yandexRedirectURI
        )
    }
}
