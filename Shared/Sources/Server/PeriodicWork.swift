import ServiceLifecycle

/// The loop of a background service: `work` every `interval` until graceful shutdown or cancellation.
public enum PeriodicWork {
    /// Runs `work`, then waits `interval`, and again (or waits first when `startImmediately` is false).
    public static func run(
        every interval: Duration,
        startImmediately: Bool,
        _ work: @escaping @Sendable () async -> Void
    ) async {
        await cancelWhenGracefulShutdown {
            if startImmediately { await work() }
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { return }
                await work()
            }
        }
    }
}
