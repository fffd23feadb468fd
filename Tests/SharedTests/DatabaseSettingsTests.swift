import PostgresNIO
import Shared
import Testing

/// The ``ConfigError`` parsing `url` throws, or `nil` when it parses.
private func urlError(_ url: String) -> ConfigError? {
    configError { _ = try DatabaseSettings(url: url) }
}

@Suite struct DatabaseSettingsTests {
    @Test func fullURLWithRequiredTLSParses() throws {
        let settings = try DatabaseSettings(url: "postgres://u:p@db.example.com:6543/app?sslmode=require")
        #expect(settings.configuration.host == "db.example.com")
        #expect(settings.configuration.port == 6543)
        #expect(settings.configuration.username == "u")
        #expect(settings.configuration.password == "p")
        #expect(settings.configuration.database == "app")
        #expect(settings.configuration.unixSocketPath == nil)
    }

    @Test func urlWithoutPasswordOrPortParses() throws {
        let settings = try DatabaseSettings(url: "postgres://u@localhost/app")
        #expect(settings.configuration.host == "localhost")
        #expect(settings.configuration.port == 5432)
        #expect(settings.configuration.username == "u")
        #expect(settings.configuration.password == nil)
        #expect(settings.configuration.database == "app")
    }

    @Test func hostQueryItemConnectsThroughAUnixSocket() throws {
        let settings = try DatabaseSettings(url: "postgres://messenger@localhost/app?host=/tmp/sock")
        #expect(settings.configuration.unixSocketPath == "/tmp/sock/.s.PGSQL.5432")
        #expect(settings.configuration.host == nil)
        #expect(settings.configuration.username == "messenger")
        #expect(settings.configuration.database == "app")
    }

    @Test func postgresqlSchemeAndPercentEncodedPasswordParse() throws {
        let settings = try DatabaseSettings(url: "postgresql://u:p%40ss@127.0.0.1:5433/app?sslmode=disable")
        #expect(settings.configuration.password == "p@ss")
        #expect(settings.configuration.port == 5433)
    }

    @Test func otherSchemesAreRefused() {
        #expect(urlError("mysql://x")?.variable == "DATABASE_URL")
        #expect(urlError("not a url at all")?.variable == "DATABASE_URL")
    }

    @Test func unknownSSLModeIsRefused() {
        let error = urlError("postgres://u@h/app?sslmode=bogus")
        #expect(error?.variable == "DATABASE_URL")
        #expect(error?.reason.contains("bogus") == true)
    }

    @Test func knownSSLModesAreAccepted() throws {
        for mode in ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] {
            let settings = try DatabaseSettings(url: "postgres://u@db.example.com/app?sslmode=\(mode)")
            #expect(settings.configuration.host == "db.example.com", "\(mode)")
        }
    }
}
