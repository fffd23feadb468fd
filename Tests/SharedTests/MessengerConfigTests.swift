import Logging
import Shared
import Testing

/// The ``ConfigError`` reading `environment` throws, or `nil` when it reads fine.
private func configError(_ environment: [String: String]) -> ConfigError? {
    configError { _ = try MessengerConfig(environment: environment) }
}

@Suite struct MessengerConfigTests {
    @Test func defaultsServeOnLoopback() {
        let config = MessengerConfig()
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.internalHost == "127.0.0.1")
        #expect(config.authPort == 8081)
        #expect(config.usersPort == 8082)
        #expect(config.chatPort == 8083)
        #expect(config.authURL == nil)
        #expect(config.usersURL == nil)
        #expect(config.chatURL == nil)
        #expect(config.dataDirectory == "./.messenger")
        #expect(config.databaseURL == nil)
        #expect(config.postgresBinDirectory == nil)
        #expect(config.postgresUser == "postgres")
        #expect(config.bcryptCost == 12)
        #expect(config.accessTokenLifetime == 900)
        #expect(config.refreshTokenLifetime == 30 * 24 * 3600)
        #expect(config.internalToken == nil)
        #expect(config.jwtPrivateKey == nil)
        #expect(config.maxBodySize == 10 * 1024 * 1024)
        #expect(config.logLevel == .info)
        #expect(config.resolvedAuthURL == "http://127.0.0.1:8081")
        #expect(config.resolvedUsersURL == "http://127.0.0.1:8082")
        #expect(config.resolvedChatURL == "http://127.0.0.1:8083")
    }

    @Test func emptyEnvironmentKeepsTheDefaults() throws {
        let config = try MessengerConfig(environment: [:])
        let defaults = MessengerConfig()
        #expect(config.host == defaults.host)
        #expect(config.port == defaults.port)
        #expect(config.bcryptCost == defaults.bcryptCost)
        #expect(config.accessTokenLifetime == defaults.accessTokenLifetime)
        #expect(config.refreshTokenLifetime == defaults.refreshTokenLifetime)
        #expect(config.maxBodySize == defaults.maxBodySize)
        #expect(config.logLevel == defaults.logLevel)
        #expect(config.databaseURL == nil)
    }

    @Test func emptyOrBlankValuesCountAsUnset() throws {
        let config = try MessengerConfig(environment: [
            "PORT": "", "HOST": "   ", "BCRYPT_COST": " ", "DATABASE_URL": "",
        ])
        #expect(config.port == 8080)
        #expect(config.host == "127.0.0.1")
        #expect(config.bcryptCost == 12)
        #expect(config.databaseURL == nil)
    }

    @Test func environmentOverridesTheDefaults() throws {
        let config = try MessengerConfig(environment: [
            "HOST": "0.0.0.0",
            "PORT": "9000",
            "INTERNAL_HOST": "10.0.0.2",
            "AUTH_PORT": "7001",
            "USERS_PORT": "7002",
            "CHAT_PORT": "7003",
            "USERS_URL": "http://users.internal:80",
            "DATA_DIR": "/var/lib/messenger",
            "DATABASE_URL": "postgres://u:p@db:5432/app",
            "PG_BIN_DIR": "/usr/lib/postgresql/16/bin",
            "PG_USER": "pg",
            "BCRYPT_COST": "4",
            "ACCESS_TOKEN_TTL": "60",
            "REFRESH_TOKEN_TTL": "3600",
            "INTERNAL_TOKEN": "a-long-enough-secret",
            "JWT_PRIVATE_KEY": "seed",
            "MAX_BODY_SIZE": "2048",
            "LOG_LEVEL": "DEBUG",
        ])
        #expect(config.host == "0.0.0.0")
        #expect(config.port == 9000)
        #expect(config.internalHost == "10.0.0.2")
        #expect(config.authPort == 7001)
        #expect(config.usersPort == 7002)
        #expect(config.chatPort == 7003)
        #expect(config.dataDirectory == "/var/lib/messenger")
        #expect(config.databaseURL == "postgres://u:p@db:5432/app")
        #expect(config.postgresBinDirectory == "/usr/lib/postgresql/16/bin")
        #expect(config.postgresUser == "pg")
        #expect(config.bcryptCost == 4)
        #expect(config.accessTokenLifetime == 60)
        #expect(config.refreshTokenLifetime == 3600)
        #expect(config.internalToken == "a-long-enough-secret")
        #expect(throws: ConfigError.self) { try MessengerConfig(environment: ["INTERNAL_TOKEN": "CHANGE_ME"]) }
        #expect(throws: ConfigError.self) { try MessengerConfig(environment: ["INTERNAL_TOKEN": "short"]) }
        #expect(config.jwtPrivateKey == "seed")
        #expect(config.maxBodySize == 2048)
        #expect(config.logLevel == .debug)
        // An explicit URL wins; the others follow the internal host and ports.
        #expect(config.resolvedUsersURL == "http://users.internal:80")
        #expect(config.resolvedAuthURL == "http://10.0.0.2:7001")
        #expect(config.resolvedChatURL == "http://10.0.0.2:7003")
    }

    @Test func invalidPortNamesTheVariable() {
        #expect(configError(["PORT": "abc"])?.variable == "PORT")
        #expect(configError(["PORT": "65536"])?.variable == "PORT")
        #expect(configError(["PORT": "-1"])?.variable == "PORT")
        #expect(configError(["AUTH_PORT": "http"])?.variable == "AUTH_PORT")
    }

    @Test func bcryptCostBelow4NamesTheVariable() {
        let error = configError(["BCRYPT_COST": "3"])
        #expect(error?.variable == "BCRYPT_COST")
        #expect(error?.description.hasPrefix("BCRYPT_COST") == true)
        #expect(configError(["BCRYPT_COST": "32"])?.variable == "BCRYPT_COST")
    }

    @Test func bcryptCostBoundsAreAccepted() throws {
        #expect(try MessengerConfig(environment: ["BCRYPT_COST": "4"]).bcryptCost == 4)
        #expect(try MessengerConfig(environment: ["BCRYPT_COST": "31"]).bcryptCost == 31)
    }

    @Test func theUserSummaryCacheLifetimeIsBoundedAndCanBeTurnedOff() throws {
        #expect(try MessengerConfig(environment: [:]).userCacheSeconds == 60)
        #expect(try MessengerConfig(environment: ["USER_CACHE_SECONDS": "0"]).userCacheSeconds == 0)
        #expect(try MessengerConfig(environment: ["USER_CACHE_SECONDS": "3600"]).userCacheSeconds == 3600)
        #expect(configError(["USER_CACHE_SECONDS": "3601"])?.variable == "USER_CACHE_SECONDS")
        #expect(configError(["USER_CACHE_SECONDS": "-1"])?.variable == "USER_CACHE_SECONDS")
    }

    @Test func invalidLifetimesAndSizesNameTheVariable() {
        #expect(configError(["ACCESS_TOKEN_TTL": "9"])?.variable == "ACCESS_TOKEN_TTL")
        #expect(configError(["REFRESH_TOKEN_TTL": "59"])?.variable == "REFRESH_TOKEN_TTL")
        #expect(configError(["MAX_BODY_SIZE": "1023"])?.variable == "MAX_BODY_SIZE")
    }

    @Test func yandexAndAvatarSettingsComeFromTheEnvironment() throws {
        let config = try MessengerConfig(environment: [
            "YANDEX_CLIENT_ID": "id", "YANDEX_CLIENT_SECRET": "secret",
            "YANDEX_REDIRECT_URI": "https://chat.example.com/auth/yandex_callback/",
            "YANDEX_OAUTH_URL": "http://127.0.0.1:1", "YANDEX_LOGIN_URL": "http://127.0.0.1:2",
            "AVATAR_MAX_SIZE": "1048576", "PUBLIC_URL": "https://chat.example.com/", "DATA_DIR": "/srv/m",
        ])
        #expect(config.yandexClientID == "id")
        #expect(config.yandexClientSecret == "secret")
        #expect(config.yandexRedirectURI == "https://chat.example.com/auth/yandex_callback/")
        #expect(config.yandexOAuthURL == "http://127.0.0.1:1")
        #expect(config.yandexLoginURL == "http://127.0.0.1:2")
        #expect(config.avatarMaxSize == 1_048_576)
        #expect(config.resolvedMediaURL == "https://chat.example.com/media")
        #expect(config.mediaDirectory == "/srv/m/media")
        let defaults = MessengerConfig()
        #expect(defaults.yandexOAuthURL == "https://oauth.yandex.ru")
        #expect(defaults.yandexLoginURL == "https://login.yandex.ru")
        #expect(defaults.yandexClientID == nil)
        #expect(defaults.avatarMaxSize == 5 * 1024 * 1024)
        #expect(throws: ConfigError.self) { try MessengerConfig(environment: ["AVATAR_MAX_SIZE": "10"]) }
        #expect(throws: ConfigError.self) {
            try MessengerConfig(environment: [
                "S3_BUCKET": "b", "S3_ENDPOINT": "http://x", "S3_ACCESS_KEY_ID": "i", "S3_SECRET_ACCESS_KEY": "s",
                "S3_PATH_STYLE": "maybe",
            ])
        }
    }

    @Test func unknownLogLevelNamesTheVariable() {
        #expect(configError(["LOG_LEVEL": "loud"])?.variable == "LOG_LEVEL")
    }

    @Test func theFirstInvalidVariableIsReportedNotAValidOne() {
        let error = configError(["PORT": "8080", "BCRYPT_COST": "3"])
        #expect(error?.variable == "BCRYPT_COST")
    }
}
