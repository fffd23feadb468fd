import Crypto
import Foundation
import Messenger
import NIOHTTP1
import Shared

/// The production shape on loopback: Debian's nginx with the project's `nginx/nginx.conf` in front of two
/// gateways, and two separate `messenger` processes for each of Auth, Users and PrivateChat, all on one
/// fresh database of the test cluster.
///
/// Every process is started by a detached shell that stops it when the test process ends, however it
/// ends; ``kill(_:)`` sends SIGKILL to one instance, as a crash would.
public final class RunningCluster: Sendable {
    /// One `messenger serve --services X` process.
    public struct Instance: Sendable {
        /// `auth-1`, `users-2`, `gateway-1`...
        public var name: String
        public var service: ServiceName
        public var port: Int
        var pidFile: String
        public var url: String { "http://127.0.0.1:\(port)" }
    }

    public let instances: [Instance]
    public let nginxPort: Int
    public let directory: String
    public let databaseURL: String
    public let internalToken: String

    /// nginx, as a client sees it.
    public var api: TestHTTP { TestHTTP(baseURL: "http://127.0.0.1:\(nginxPort)") }

    /// The QR hub WebSocket for `clientID`, through nginx.
    public func hubURL(clientID: String) -> String {
        "ws://127.0.0.1:\(nginxPort)/auth_events/qr_auth/?client_id=\(clientID)"
    }

    /// The repository's root (for the binary and nginx's configuration).
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    init(instances: [Instance], nginxPort: Int, directory: String, databaseURL: String, internalToken: String) {
        self.instances = instances
        self.nginxPort = nginxPort
        self.directory = directory
        self.databaseURL = databaseURL
        self.internalToken = internalToken
    }

    /// Starts two instances of every service and nginx, and waits until nginx answers `/health` with 200.
    public static func start() async throws -> RunningCluster {
        let binary = root.appendingPathComponent(".build/debug/messenger").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw StartupError("\(binary) is missing: run `swift build` first")
        }
        let directory = NSTemporaryDirectory() + "messenger-cluster-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var instances: [Instance] = []
        var ports = try freePorts(9)
        let nginxPort = ports.removeLast()
        for service in [ServiceName.auth, .users, .chat, .gateway] {
            for number in 1...2 {
                instances.append(
                    Instance(
                        name: "\(service.rawValue)-\(number)",
                        service: service,
                        port: ports.removeFirst(),
                        pidFile: directory + "/\(service.rawValue)-\(number).pid"
                    )
                )
            }
        }
        func list(_ service: ServiceName) -> String {
            instances.filter { $0.service == service }.map(\.url).joined(separator: ",")
        }
        let databaseURL = try await TestDatabase.shared.makeDatabaseURL()
        let internalToken = "cluster-\(UUID().uuidString)"
        let key = { SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() } }
        let shared: [String: String] = [
            "DATABASE_URL": databaseURL, "INTERNAL_TOKEN": internalToken, "JWT_PRIVATE_KEY": key(),
            "QR_TICKET_KEY": key(), "OAUTH_STATE_KEY": key(), "BCRYPT_COST": "4", "LOG_LEVEL": "warning",
            "DATA_DIR": directory + "/data", "PUBLIC_URL": "http://127.0.0.1:\(nginxPort)",
            "INTERNAL_HOST": "127.0.0.1", "HOST": "127.0.0.1",
            "AUTH_URL": list(.auth), "USERS_URL": list(.users), "CHAT_URL": list(.chat),
        ]
        let portVariable: [ServiceName: String] = [.auth: "AUTH_PORT", .users: "USERS_PORT", .chat: "CHAT_PORT"]
        for instance in instances {
            var environment = shared
            environment[portVariable[instance.service] ?? "PORT"] = String(instance.port)
            let assignments = environment.sorted { $0.key < $1.key }.map {
                "\($0.key)=\(DetachedShell.quote($0.value))"
            }
            supervise(
                command: assignments.joined(separator: " ") + " \(DetachedShell.quote(binary)) serve --services "
                    + instance.service.rawValue,
                log: directory + "/\(instance.name).log",
                pidFile: instance.pidFile
            )
        }
        let cluster = RunningCluster(
            instances: instances,
            nginxPort: nginxPort,
            directory: directory,
            databaseURL: databaseURL,
            internalToken: internalToken
        )
        for instance in instances {
            try await cluster.waitForHealth(instance.url, name: instance.name)
        }
        try cluster.startNginx()
        try await cluster.waitForHealth("http://127.0.0.1:\(nginxPort)", name: "nginx")
        return cluster
    }

    /// Runs `command` in the background under a shell that writes its pid to `pidFile` and stops it
    /// (SIGTERM) once the test process is gone.
    static func supervise(command: String, log: String, pidFile: String) {
        DetachedShell.run(
            "\(command) >\(DetachedShell.quote(log)) 2>&1 & m=$!; echo $m > \(DetachedShell.quote(pidFile)); "
                + "while kill -0 \(getpid()) 2>/dev/null && kill -0 $m 2>/dev/null; do sleep 0.5; done; kill $m 2>/dev/null"
        )
    }

    /// Writes nginx's configuration (the project's, with loopback ports and paths in this directory) and
    /// starts it in the foreground under a supervising shell.
    func startNginx() throws {
        let prefix = directory + "/nginx"
        try FileManager.default.createDirectory(atPath: prefix + "/logs", withIntermediateDirectories: true)
        let source = try String(
            contentsOf: Self.root.appendingPathComponent("nginx/nginx.conf"),
            encoding: .utf8
        )
        var lines: [String] = []
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("user ") { continue }
            if trimmed.hasPrefix("pid ") {
                lines.append("pid \(prefix)/nginx.pid;")
            } else if trimmed.hasPrefix("error_log ") {
                lines.append("error_log \(prefix)/logs/error.log warn;")
            } else if trimmed.hasPrefix("access_log ") && !trimmed.contains(" off") {
                let format = trimmed.split(separator: " ").dropFirst(2).first.map { " " + $0 } ?? ""
                lines.append("access_log \(prefix)/logs/access.log\(format.hasSuffix(";") ? format : format + ";")")
            } else if trimmed.hasPrefix("listen ") {
                lines.append("listen 127.0.0.1:\(nginxPort);")
            } else {
                lines.append(String(line))
            }
        }
        try lines.joined(separator: "\n").write(toFile: prefix + "/nginx.conf", atomically: true, encoding: .utf8)
        let gateways = instances.filter { $0.service == .gateway }.map { "    server 127.0.0.1:\($0.port);" }
        let upstreams = """
            upstream messenger_gateway {
                least_conn;
            \(gateways.joined(separator: "\n"))
                keepalive 32;
            }

            upstream messenger_hub {
                hash $arg_client_id consistent;
            \(gateways.joined(separator: "\n"))
            }

            """
        try upstreams.write(toFile: prefix + "/upstreams.conf", atomically: true, encoding: .utf8)
        Self.supervise(
            command: "nginx -p \(DetachedShell.quote(prefix)) -c \(DetachedShell.quote(prefix + "/nginx.conf")) "
                + "-g 'daemon off;'",
            log: directory + "/nginx.log",
            pidFile: directory + "/nginx.pid"
        )
    }

    /// Sends SIGKILL to the instance called `name`, as a crash would, and waits until it is gone.
    public func kill(_ name: String) async throws {
        guard let instance = instances.first(where: { $0.name == name }),
            let text = try? String(contentsOfFile: instance.pidFile, encoding: .utf8),
            let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw StartupError("no running instance \(name)") }
        Foundation.kill(pid, SIGKILL)
        for _ in 0..<100 where Foundation.kill(pid, 0) == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Stops every process (SIGTERM) and removes the directory.
    public func stop() async {
        let pidFiles = instances.map(\.pidFile) + [directory + "/nginx.pid"]
        for file in pidFiles {
            if let text = try? String(contentsOfFile: file, encoding: .utf8),
                let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                Foundation.kill(pid, SIGTERM)
            }
        }
        try? await Task.sleep(for: .milliseconds(300))
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// nginx's error and access logs and every instance's log (their ends), for a failed test.
    public func diagnostics() -> String {
        var report = "--- cluster \(directory)\n--- nginx error.log\n" + tail(directory + "/nginx/logs/error.log")
        report += "\n--- nginx access.log\n" + tail(directory + "/nginx/logs/access.log", 10)
        for instance in instances {
            report += "\n--- \(instance.name) (port \(instance.port))\n" + tail(directory + "/\(instance.name).log", 10)
        }
        return report + "\n"
    }

    /// The last lines of an instance's log, for failure messages.
    public func log(of name: String) -> String {
        tail(directory + "/\(name).log")
    }

    /// The last `lines` lines of the file at `path`.
    func tail(_ path: String, _ lines: Int = 20) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "(no file)"
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    func waitForHealth(_ base: String, name: String) async throws {
        let client = TestHTTP(baseURL: base)
        for _ in 0..<600 {
            if let answer = try? await client.send(.GET, "/health"), answer.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw StartupError("\(name) did not become healthy:\n\(log(of: name))")
    }
}

/// Runs `body` with a started cluster, then stops it.
public func withCluster<Result: Sendable>(
    _ body: @Sendable (RunningCluster) async throws -> Result
) async throws
    -> Result
{
    let cluster = try await RunningCluster.start()
    do {
        let result = try await body(cluster)
        await cluster.stop()
        return result
    } catch {
        FileHandle.standardError.write(Data(cluster.diagnostics().utf8))
        await cluster.stop()
        throw error
    }
}
