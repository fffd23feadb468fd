import Foundation
import Logging
import NIOCore

/// Every setting of the messenger, read once at start-up from the environment (see the README's table).
///
/// Defaults make `messenger serve` work on a bare machine: all services on loopback, an embedded
/// PostgreSQL cluster under ``dataDirectory``, secrets generated and kept there too. Tests build
/// a value directly.
public struct MessengerConfig: Sendable {
    /// Address the gateway listens on (`HOST`).
    public var host: String = "127.0.0.1"
    /// Port the gateway listens on (`PORT`).
    public var port: Int = 8080
    /// Address the internal services listen on (`INTERNAL_HOST`).
    public var internalHost: String = "127.0.0.1"
    /// Ports of the internal services (`AUTH_PORT`, `USERS_PORT`, `CHAT_PORT`).
    public var authPort: Int = 8081
    public var usersPort: Int = 8082
    public var chatPort: Int = 8083
    /// Where other services reach each service (`AUTH_URL`, `USERS_URL`, `CHAT_URL`); by default the
    /// internal host and port of the same machine. Several instances are separated by commas.
    public var authURL: String?
    public var usersURL: String?
    public var chatURL: String?
    /// Directory for the embedded cluster, generated secrets and media (`DATA_DIR`).
    public var dataDirectory: String = "./.messenger"
    /// An external PostgreSQL server (`DATABASE_URL`); `nil` runs the embedded cluster.
    public var databaseURL: String?
    /// Directory of `initdb`/`pg_ctl` for the embedded cluster (`PG_BIN_DIR`); found automatically when `nil`.
    public var postgresBinDirectory: String?
    /// System user the embedded cluster runs as when `messenger` runs as root (`PG_USER`).
    public var postgresUser: String = "postgres"
    /// bcrypt cost for password hashes (`BCRYPT_COST`, 4-31).
    public var bcryptCost: Int = 12
    /// Lifetime of access tokens in seconds (`ACCESS_TOKEN_TTL`).
    public var accessTokenLifetime: Int = 900
    /// Lifetime of a login session (and its refresh token) in seconds (`REFRESH_TOKEN_TTL`).
    public var refreshTokenLifetime: Int = 30 * 24 * 3600
    /// The shared secret services use to recognise each other (`INTERNAL_TOKEN`); generated when `nil`.
    public var internalToken: String?
    /// Auth's Ed25519 signing key, base64 of the 32-byte seed (`JWT_PRIVATE_KEY`); generated when `nil`.
    public var jwtPrivateKey: String?
    /// Largest request body the gateway accepts, in bytes (`MAX_BODY_SIZE`).
    public var maxBodySize: Int = 10 * 1024 * 1024
    /// Connection deadlines of every server (`HTTP_HEADER_TIMEOUT`, `HTTP_BODY_TIMEOUT`,
    /// `HTTP_IDLE_TIMEOUT`, in seconds).
    public var httpTimeouts = HTTPTimeouts()
    /// Whether services running in the same process call each other without a socket
    /// (`IN_PROCESS_CALLS`, default true; false sends every call over loopback HTTP, e.g. to measure it).
    public var inProcessCalls = true
    /// The address clients use to reach the gateway (`PUBLIC_URL`); by default `http://HOST:PORT`.
    public var publicURL: String?
    /// The link a QR code encodes (`QR_LOGIN_URL`), with `{client_id}` replaced by the browser's id;
    /// by default `<PUBLIC_URL>/qr-login?client_id={client_id}`.
    public var qrLoginURL: String?
    /// Key sealing the phone's QR tickets, base64 of 32 bytes (`QR_TICKET_KEY`); generated when `nil`.
    public var qrTicketKey: String?
    /// Most QR hubs one client address may hold open at once (`QR_HUBS_PER_ADDRESS`).
    public var qrHubsPerAddress: Int = 20
    /// Seconds a QR hub stays open (`QR_HUB_TIMEOUT`).
    public var qrHubLifetime: Int = 120
    /// Seconds between a QR hub client's heartbeats (`QR_HEARTBEAT_INTERVAL`); twice this without one drops it.
    public var qrHeartbeatInterval: Int = 30
    /// Key sealing the `state` of Yandex sign-ins, base64 of 32 bytes (`OAUTH_STATE_KEY`); generated when `nil`.
    public var oauthStateKey: String?
    /// Yandex ID's authorization server (`YANDEX_OAUTH_URL`).
    public var yandexOAuthURL: String = "https://oauth.yandex.ru"
    /// Yandex ID's user-information server (`YANDEX_LOGIN_URL`).
    public var yandexLoginURL: String = "https://login.yandex.ru"
    /// The application's Yandex client id (`YANDEX_CLIENT_ID`); Yandex sign-in answers 503 without it.
    public var yandexClientID: String?
    /// The application's Yandex client secret (`YANDEX_CLIENT_SECRET`); never sent to browsers.
    public var yandexClientSecret: String?
    /// The redirect URI registered with Yandex (`YANDEX_REDIRECT_URI`); Yandex's default one when `nil`.
    public var yandexRedirectURI: String?
    /// Largest avatar accepted, in bytes (`AVATAR_MAX_SIZE`).
    public var avatarMaxSize: Int = 5 * 1024 * 1024
    /// Public base URL of locally stored media (`MEDIA_URL`); by default `<PUBLIC_URL>/media`.
    public var mediaURL: String?
    /// S3-compatible storage for avatars; `nil` keeps them under `DATA_DIR/media`.
    public var s3: S3Settings?
    /// Proxies whose `X-Real-IP` the gateway believes (`TRUSTED_PROXIES`): addresses and CIDR ranges.
    public var trustedProxies: TrustedProxies = .loopback
    /// Most members a group chat may have, its owner included (`GROUP_MAX_MEMBERS`).
    public var groupMaxMembers: Int = 100
    /// How often a gateway WebSocket client must send a heartbeat, in milliseconds
    /// (`GATEWAY_HEARTBEAT_INTERVAL_MS`); one silent for 1.5 intervals is closed (4009).
    public var gatewayHeartbeatInterval: Int = 41_250
    /// How long a new gateway WebSocket connection may take to identify, in milliseconds
    /// (`GATEWAY_IDENTIFY_TIMEOUT_MS`); later it is closed (4003).
    public var gatewayIdentifyTimeout: Int = 10_000
    /// Most frames a gateway WebSocket client may send per minute (`GATEWAY_FRAMES_PER_MINUTE`); more closes it (4008).
    public var gatewayFramesPerMinute: Int = 120
    /// How long every event stays resumable, in seconds (`EVENTS_RETENTION_SECONDS`).
    public var eventsRetention: Int = 300
    /// How many of each user's newest events stay resumable, however old (`EVENTS_KEEP_PER_USER`).
    public var eventsKeptPerUser: Int = 2048
    /// How often each gateway reports the users it saw active to Users, in milliseconds
    /// (`PRESENCE_FLUSH_MS`); presence changes are announced at the report that finds them.
    public var presenceFlushInterval: Int = 10_000
    /// How long PrivateChat keeps a user's summary (`{id, username, avatar_url}`) it asked Users for, in
    /// seconds (`USER_CACHE_SECONDS`; 0: ask Users on every request). A change Users commits drops the
    /// entry at once (``ProfileChanges``); the limit bounds what a lost notification could leave stale.
    public var userCacheSeconds: Int = 60
    /// Where the Swagger UI and ReDoc files of `/docs` and `/redoc` are (`API_DOCS_ASSETS`), as
    /// `make api-docs` unpacks them; relative paths start at the working directory.
    public var apiDocsAssets: String = ".build/api-docs"
    /// Minimum level of log lines (`LOG_LEVEL`).
    public var logLevel: Logger.Level = .info

    public init() {}

    /// Reads the settings from `environment`, keeping defaults for the variables that are unset.
    /// - Throws: ``ConfigError`` naming the first variable with an invalid value.
    public init(environment: [String: String]) throws {
        let reader = EnvironmentReader(environment)
        host = reader.string("HOST") ?? host
        port = try reader.port("PORT") ?? port
        internalHost = reader.string("INTERNAL_HOST") ?? internalHost
        authPort = try reader.port("AUTH_PORT") ?? authPort
        usersPort = try reader.port("USERS_PORT") ?? usersPort
        chatPort = try reader.port("CHAT_PORT") ?? chatPort
        authURL = try reader.urlList("AUTH_URL")
        usersURL = try reader.urlList("USERS_URL")
        chatURL = try reader.urlList("CHAT_URL")
        dataDirectory = reader.string("DATA_DIR") ?? dataDirectory
        databaseURL = reader.string("DATABASE_URL")
        postgresBinDirectory = reader.string("PG_BIN_DIR")
        postgresUser = reader.string("PG_USER") ?? postgresUser
        bcryptCost = try reader.integer("BCRYPT_COST", in: 4...31) ?? bcryptCost
        accessTokenLifetime = try reader.integer("ACCESS_TOKEN_TTL", in: 10...86_400) ?? accessTokenLifetime
        refreshTokenLifetime = try reader.integer("REFRESH_TOKEN_TTL", in: 60...31_536_000) ?? refreshTokenLifetime
        internalToken = reader.string("INTERNAL_TOKEN")
        if let token = internalToken, token.count < 16 || token == "CHANGE_ME" {
            throw ConfigError(variable: "INTERNAL_TOKEN", reason: "must be a random secret of at least 16 characters")
        }
        jwtPrivateKey = reader.string("JWT_PRIVATE_KEY")
        maxBodySize = try reader.integer("MAX_BODY_SIZE", in: 1024...1_073_741_824) ?? maxBodySize
        inProcessCalls = try reader.boolean("IN_PROCESS_CALLS") ?? inProcessCalls
        if let seconds = try reader.integer("HTTP_HEADER_TIMEOUT", in: 1...3600) {
            httpTimeouts.header = .seconds(Int64(seconds))
        }
        if let seconds = try reader.integer("HTTP_BODY_TIMEOUT", in: 1...86_400) {
            httpTimeouts.body = .seconds(Int64(seconds))
        }
        if let seconds = try reader.integer("HTTP_IDLE_TIMEOUT", in: 1...86_400) {
            httpTimeouts.idle = .seconds(Int64(seconds))
        }
        publicURL = reader.string("PUBLIC_URL")
        qrLoginURL = reader.string("QR_LOGIN_URL")
        qrTicketKey = reader.string("QR_TICKET_KEY")
        qrHubsPerAddress = try reader.integer("QR_HUBS_PER_ADDRESS", in: 1...100_000) ?? qrHubsPerAddress
        qrHubLifetime = try reader.integer("QR_HUB_TIMEOUT", in: 1...3600) ?? qrHubLifetime
        qrHeartbeatInterval = try reader.integer("QR_HEARTBEAT_INTERVAL", in: 1...600) ?? qrHeartbeatInterval
        oauthStateKey = reader.string("OAUTH_STATE_KEY")
        yandexOAuthURL = reader.string("YANDEX_OAUTH_URL") ?? yandexOAuthURL
        yandexLoginURL = reader.string("YANDEX_LOGIN_URL") ?? yandexLoginURL
        yandexClientID = reader.string("YANDEX_CLIENT_ID")
        yandexClientSecret = reader.string("YANDEX_CLIENT_SECRET")
        yandexRedirectURI = reader.string("YANDEX_REDIRECT_URI")
        avatarMaxSize = try reader.integer("AVATAR_MAX_SIZE", in: 1024...104_857_600) ?? avatarMaxSize
        mediaURL = reader.string("MEDIA_URL")
        s3 = try S3Settings(reader: reader)
        if let proxies = reader.string("TRUSTED_PROXIES") { trustedProxies = try TrustedProxies(proxies) }
        apiDocsAssets = reader.string("API_DOCS_ASSETS") ?? apiDocsAssets
        // Users answers at most 1,000 summaries per call, and a group's info names every member in one.
        groupMaxMembers = try reader.integer("GROUP_MAX_MEMBERS", in: 2...1000) ?? groupMaxMembers
        gatewayHeartbeatInterval =
            try reader.integer("GATEWAY_HEARTBEAT_INTERVAL_MS", in: 100...600_000) ?? gatewayHeartbeatInterval
        gatewayIdentifyTimeout =
            try reader.integer("GATEWAY_IDENTIFY_TIMEOUT_MS", in: 100...600_000) ?? gatewayIdentifyTimeout
        gatewayFramesPerMinute =
            try reader.integer("GATEWAY_FRAMES_PER_MINUTE", in: 10...100_000) ?? gatewayFramesPerMinute
        eventsRetention = try reader.integer("EVENTS_RETENTION_SECONDS", in: 10...604_800) ?? eventsRetention
        eventsKeptPerUser = try reader.integer("EVENTS_KEEP_PER_USER", in: 16...1_000_000) ?? eventsKeptPerUser
        // Well within the online window (5 minutes): a connected user must be reported before it ends.
        presenceFlushInterval = try reader.integer("PRESENCE_FLUSH_MS", in: 100...60_000) ?? presenceFlushInterval
        userCacheSeconds = try reader.integer("USER_CACHE_SECONDS", in: 0...3600) ?? userCacheSeconds
        if let level = reader.string("LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigError(
                    variable: "LOG_LEVEL",
                    reason: "must be one of trace, debug, info, notice, warning, error, critical"
                )
            }
            logLevel = parsed
        }
    }

    /// The public base URL, without a trailing slash.
    public var resolvedPublicURL: String {
        let url = publicURL ?? "http://\(host):\(port)"
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// The QR login link template, with a `{client_id}` placeholder.
    public var resolvedQRLoginURL: String {
        qrLoginURL ?? resolvedPublicURL + "/qr-login?client_id={client_id}"
    }

    /// Public base URL of locally stored media, without a trailing slash.
    public var resolvedMediaURL: String {
        let url = mediaURL ?? resolvedPublicURL + "/media"
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// Where locally stored media lives: `DATA_DIR/media`.
    public var mediaDirectory: String {
        URL(fileURLWithPath: dataDirectory, isDirectory: true).appendingPathComponent("media").path
    }

    /// Base URL of Auth as other services call it.
    public var resolvedAuthURL: String { authURL ?? "http://\(internalHost):\(authPort)" }
    /// Base URL of Users as other services call it.
    public var resolvedUsersURL: String { usersURL ?? "http://\(internalHost):\(usersPort)" }
    /// Base URL of PrivateChat as other services call it.
    public var resolvedChatURL: String { chatURL ?? "http://\(internalHost):\(chatPort)" }

    /// The base URLs other services call `service` at (comma-separated when several); the gateway's
    /// public URL for the gateway.
    public func instanceList(of service: ServiceName) -> String {
        switch service {
        case .auth: resolvedAuthURL
        case .users: resolvedUsersURL
        case .chat: resolvedChatURL
        case .gateway: resolvedPublicURL
        }
    }

    /// Where the server of `service` listens in a process that runs it.
    public func listenAddress(of service: ServiceName) -> (host: String, port: Int) {
        switch service {
        case .auth: (internalHost, authPort)
        case .users: (internalHost, usersPort)
        case .chat: (internalHost, chatPort)
        case .gateway: (host, port)
        }
    }
}

/// A configuration value that cannot be used; the message names the variable.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var variable: String
    public var reason: String

    public init(variable: String, reason: String) {
        self.variable = variable
        self.reason = reason
    }

    public var description: String { "\(variable) \(reason)" }
}

/// Typed reads of environment variables; empty values count as unset.
struct EnvironmentReader {
    let environment: [String: String]

    init(_ environment: [String: String]) {
        self.environment = environment
    }

    func string(_ name: String) -> String? {
        guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigError(
                variable: name,
                reason: "must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(text)'"
            )
        }
        return value
    }

    /// One or more comma-separated `http(s)://` base URLs.
    func urlList(_ name: String) throws -> String? {
        guard let text = string(name) else { return nil }
        for url in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard url.hasPrefix("http://") || url.hasPrefix("https://"), url.count > 8 else {
                throw ConfigError(variable: name, reason: "must list http(s) URLs separated by commas, got '\(url)'")
            }
        }
        return text
    }

    func boolean(_ name: String) throws -> Bool? {
        guard let text = string(name) else { return nil }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigError(variable: name, reason: "must be true or false, got '\(text)'")
        }
    }

    func port(_ name: String) throws -> Int? {
        try integer(name, in: 0...65_535)
    }
}
