import Foundation
import Messenger
import NIOHTTP1

/// `messenger serve` (the debug binary) run as a separate process, for what only a real process shows:
/// being killed with SIGKILL and started again.
public struct MessengerProcess: Sendable {
    public let pidFile: String
    public let log: String
    public let gateway: TestHTTP

    /// Starts the binary with `environment` (and nothing else of this process's), logging to `log`.
    public static func start(environment: [String: String], gatewayPort: Int, log: String) throws -> MessengerProcess {
        let binary = RunningCluster.root.appendingPathComponent(".build/debug/messenger").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw StartupError("\(binary) is missing: run `swift build` first")
        }
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(DetachedShell.quote($0.value))" }
        let pidFile = log + ".pid"
        RunningCluster.supervise(
            command: "env -u DATABASE_URL " + assignments.joined(separator: " ") + " "
                + DetachedShell.quote(binary) + " serve",
            log: log,
            pidFile: pidFile
        )
        return MessengerProcess(
            pidFile: pidFile,
            log: log,
            gateway: TestHTTP(baseURL: "http://127.0.0.1:\(gatewayPort)")
        )
    }

    /// The process id, once the supervising shell has written it.
    public var pid: pid_t? {
        (try? String(contentsOfFile: pidFile, encoding: .utf8)).flatMap {
            pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Waits until the gateway's `/health` answers 200 and returns how long that took.
    public func waitUntilHealthy(within limit: Duration = .seconds(60)) async throws -> Duration {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < limit {
            if let answer = try? await gateway.send(.GET, "/health"), answer.status == 200 {
                return ContinuousClock.now - start
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? "(no log)"
        throw StartupError("messenger did not become healthy within \(limit):\n\(text.suffix(3000))")
    }

    /// Sends `signal` and waits (at most 30 s) until the process is gone.
    public func stop(with signal: Int32) async throws {
        guard let pid else { throw StartupError("no pid in \(pidFile)") }
        kill(pid, signal)
        for _ in 0..<1500 where kill(pid, 0) == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
