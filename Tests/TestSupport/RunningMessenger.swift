import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import Messenger
import NIOHTTP1
import ServiceLifecycle
import Shared

/// A `messenger serve` running inside the test process on free loopback ports, against a fresh
/// database of the test cluster: the same ``MessengerServer`` the binary runs.
public final class RunningMessenger: Sendable {
    public let config: MessengerConfig
    public let services: Set<ServiceName>
    let task: Task<Void, any Error>
    let group: GroupHolder

    /// The gateway, as a client sees it.
    public var gateway: TestHTTP { TestHTTP(baseURL: "http://127.0.0.1:\(config.port)") }
    /// The gateway's QR hub WebSocket for `clientID`.
    public func hubURL(clientID: String) -> String {
        "ws://127.0.0.1:\(config.port)/auth_events/qr_auth/?client_id=\(clientID)"
    }

    /// A service's port, for requests that bypass the gateway.
    public func url(of service: ServiceName) -> String {
        switch service {
        case .auth: "http://127.0.0.1:\(config.authPort)"
        case .users: "http://127.0.0.1:\(config.usersPort)"
        case .chat: "http://127.0.0.1:\(config.chatPort)"
        case .gateway: "http://127.0.0.1:\(config.port)"
        }
    }

    init(config: MessengerConfig, services: Set<ServiceName>, task: Task<Void, any Error>, group: GroupHolder) {
        self.config = config
        self.services = services
        self.task = task
        self.group = group
    }

    /// A configuration with free ports, a fresh database, fixed secrets and a low bcrypt cost.
    public static func makeConfig() async throws -> MessengerConfig {
        var config = MessengerConfig()
        config.port = try freePort()
        config.authPort = try freePort()
        config.usersPort = try freePort()
        config.chatPort = try freePort()
        config.databaseURL = try await TestDatabase.shared.makeDatabaseURL()
        config.dataDirectory = NSTemporaryDirectory() + "messenger-e2e-\(UUID().uuidString)"
        config.bcryptCost = 4
        config.internalToken = "e2e-\(UUID().uuidString)"
        config.jwtPrivateKey = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        config.qrTicketKey = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        config.logLevel = .warning
        return config
    }

    /// Starts `services` with `config` and waits until each answers `/health`.
    public static func start(
        services: Set<ServiceName> = Set(ServiceName.allCases),
        config: MessengerConfig
    ) async throws
        -> RunningMessenger
    {
        let running = launch(services: services, config: config)
        do {
            for service in services {
                try await running.waitUntilListening(service)
            }
        } catch {
            // What did start is stopped: a failed start leaves nothing running.
            await running.stop()
            throw error
        }
        return running
    }

    /// Stops the services gracefully, as SIGTERM does, and waits for them to finish.
    public func stop() async {
        if let group = await group.group {
            await group.triggerGracefulShutdown()
        } else {
            task.cancel()
        }
        _ = await task.result
    }

    func waitUntilListening(_ service: ServiceName) async throws {
        let client = TestHTTP(baseURL: url(of: service))
        for _ in 0..<1200 {
            if let answer = try? await client.send(.GET, "/health"), answer.status < 500 || service == .gateway {
                return
            }
            if task.isCancelled { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw StartupError("\(service) did not start")
    }
}

/// Runs `body` with `services` started (on a test configuration `configure` may adjust), then stops them.
public func withMessenger<Result: Sendable>(
    services: Set<ServiceName> = Set(ServiceName.allCases),
    configure: (inout MessengerConfig) -> Void = { _ in },
    _ body: @Sendable (RunningMessenger) async throws -> Result
) async throws -> Result {
    var config = try await RunningMessenger.makeConfig()
    configure(&config)
    return try await withMessenger(services: services, config: config, body)
}

/// Holds the running service group so a test can shut it down gracefully.
actor GroupHolder {
    private(set) var group: ServiceGroup?

    func set(_ group: ServiceGroup) {
        self.group = group
    }
}
