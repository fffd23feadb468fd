import Foundation
import NIOSSL
import PostgresNIO

/// Where and how to connect to PostgreSQL.
public struct DatabaseSettings: Sendable {
    /// The connection configuration for `PostgresClient`.
    public var configuration: PostgresClient.Configuration

    public init(configuration: PostgresClient.Configuration) {
        self.configuration = configuration
    }

    /// A database reached through a Unix socket (the embedded cluster).
    public static func unixSocket(
        directory: String,
        port: Int = 5432,
        user: String,
        database: String
    ) -> DatabaseSettings {
        DatabaseSettings(
            configuration: .init(
                unixSocketPath: "\(directory)/.s.PGSQL.\(port)",
                username: user,
                password: nil,
                database: database
            )
        )
    }

    static let sslModes: Set<String> = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    /// Parses a `postgres://user:password@host:port/database?sslmode=...` URL.
    ///
    /// `sslmode=disable` turns TLS off; `require`, `verify-ca` and `verify-full` all require TLS *with*
    /// certificate verification (stricter than libpq's `require`: we never trust an unverified server);
    /// without it, loopback hosts use no TLS and other hosts prefer TLS, still verified.
    /// A `host=/path` query item connects through the Unix socket in that directory.
    /// - Throws: ``ConfigError`` for `DATABASE_URL` when the URL cannot be used.
    public init(url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            ["postgres", "postgresql"].contains(scheme)
        else {
            throw ConfigError(
                variable: "DATABASE_URL",
                reason: "must look like postgres://user:password@host:5432/database"
            )
        }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
            uniquingKeysWith: { _, last in last }
        )
        let user = components.user?.removingPercentEncoding ?? "postgres"
        let password = components.password?.removingPercentEncoding
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = path.isEmpty ? user : path
        let port = components.port ?? 5432
        let sslMode = query["sslmode"]
        guard sslMode.map({ Self.sslModes.contains($0) }) ?? true else {
            throw ConfigError(variable: "DATABASE_URL", reason: "has an unknown sslmode '\(sslMode ?? "")'")
        }
        if let socketDirectory = query["host"] {
            guard socketDirectory.hasPrefix("/") else {
                throw ConfigError(
                    variable: "DATABASE_URL",
                    reason: "has a host= parameter that is not an absolute socket directory"
                )
            }
            configuration = .init(
                unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)",
                username: user,
                password: password,
                database: database
            )
            return
        }
        guard let rawHost = components.host, !rawHost.isEmpty else {
            throw ConfigError(variable: "DATABASE_URL", reason: "has no host")
        }
        let host = rawHost.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable":
            tls = .disable
        case "require", "verify-ca", "verify-full":
            tls = .require(.makeClientConfiguration())
        case nil, "prefer", "allow":
            let isLoopback = host == "localhost" || host.hasPrefix("127.") || host == "::1"
            tls = isLoopback ? .disable : .prefer(.makeClientConfiguration())
        default:
            throw ConfigError(variable: "DATABASE_URL", reason: "has an unknown sslmode '\(sslMode ?? "")'")
        }
        configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }
}
