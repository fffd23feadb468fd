import Logging
import ServiceLifecycle
import Shared

/// Closes expired hubs and drops silent clients, once a second.
public struct QRHubJanitor: Service {
    let hubs: QRHubRegistry
    let interval: Duration

    public init(hubs: QRHubRegistry, interval: Duration = .seconds(1)) {
        self.hubs = hubs
        self.interval = interval
    }

    public func run() async throws {
        await PeriodicWork.run(every: interval, startImmediately: false) { await sweep() }
    }

    /// Tells timed-out clients why and closes them.
    func sweep() async {
        let timedOut = await hubs.sweep()
        for client in timedOut.silent {
            await client.send(QRHubMessage.op("heartbeat timeout"))
            await client.close()
        }
        for client in timedOut.expired {
            await client.send(QRHubMessage.op("hub expired"))
            await client.close()
        }
    }
}
