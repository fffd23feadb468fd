import Logging
import Messenger
import Shared

extension RunningMessenger {
    /// Starts `services` with `config` without waiting for them: the caller owns the result and must
    /// ``stop()`` it.
    static func launch(services: Set<ServiceName>, config: MessengerConfig) -> RunningMessenger {
        var logger = Logger(label: "e2e")
        logger.logLevel = config.logLevel
        let server = MessengerServer(config: config, services: services, logger: logger)
        let holder = GroupHolder()
        let task = Task { try await server.run(signals: []) { await holder.set($0) } }
        return RunningMessenger(config: config, services: services, task: task, group: holder)
    }
}

/// Runs `body` with `services` started on exactly `config` (for tests that start several servers on one
/// database, or restart one), then stops them: also when they do not come up, or `body` throws.
public func withMessenger<Result: Sendable>(
    services: Set<ServiceName> = Set(ServiceName.allCases),
    config: MessengerConfig,
    _ body: @Sendable (RunningMessenger) async throws -> Result
) async throws -> Result {
    let running = RunningMessenger.launch(services: services, config: config)
    do {
        for service in services {
            try await running.waitUntilListening(service)
        }
        let result = try await body(running)
        await running.stop()
        return result
    } catch {
        await running.stop()
        throw error
    }
}

/// Starts `services` with `config` expecting start-up to fail, and returns the error it failed with.
///
/// A server that has neither failed nor stopped after `limit` started after all: it is stopped and `nil`
/// is returned, so the test fails instead of hanging with a server left running.
public func startupError(
    services: Set<ServiceName>,
    config: MessengerConfig,
    within limit: Duration = .seconds(60)
) async -> (any Error)? {
    let running = RunningMessenger.launch(services: services, config: config)
    let endedByItself = await withTaskGroup(of: Bool.self) { group in
        group.addTask {
            _ = await running.task.result
            return true
        }
        group.addTask {
            try? await Task.sleep(for: limit)
            return false
        }
        let first = await group.next() ?? false
        group.cancelAll()
        if !first { await running.stop() }
        return first
    }
    guard endedByItself, case .failure(let error) = await running.task.result else { return nil }
    return error
}
