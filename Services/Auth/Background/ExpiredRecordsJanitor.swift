import Logging
import ServiceLifecycle
import Shared

/// Deletes one-time records that have expired (spent QR tickets, QR grants, used Yandex states) once a
/// minute, so the request paths only insert and look up.
///
/// Every Auth instance runs one; the deletes are idempotent, so several instances do not conflict.
public struct ExpiredRecordsJanitor: Service {
    let sweeps: [@Sendable (Logger) async throws -> Void]
    let interval: Duration
    let logger: Logger

    public init(
        interval: Duration = .seconds(60),
        logger: Logger,
        sweeps: [@Sendable (Logger) async throws -> Void]
    ) {
        self.interval = interval
        self.logger = logger
        self.sweeps = sweeps
    }

    public func run() async throws {
        await PeriodicWork.run(every: interval, startImmediately: false) { await sweep() }
    }

    /// Runs every sweep once; a failure is logged and retried at the next interval.
    func sweep() async {
        for sweep in sweeps {
            do {
                try await sweep(logger)
            } catch {
                logger.warning("janitor.sweep_failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }
}
