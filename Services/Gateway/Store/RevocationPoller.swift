import Foundation
import Logging
import NIOHTTP1
import ServiceLifecycle
import Shared

/// Keeps the gateway's ``RevocationList`` current by asking Auth for newly revoked sessions every
/// ``interval``; a logout takes effect at the gateway within that time.
public struct RevocationPoller: Service {
    let client: ServiceClient
    let list: RevocationList
    let interval: Duration
    let logger: Logger

    public init(client: ServiceClient, list: RevocationList, interval: Duration = .seconds(2), logger: Logger) {
        self.client = client
        self.list = list
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await PeriodicWork.run(every: interval, startImmediately: true) { await poll() }
    }

    /// Fetches revocations newer than the list's cursor; failures are logged and retried next time.
    public func poll() async {
        let since = list.cursor.timeIntervalSince1970
        do {
            let reply = try await client.send(
                .GET,
                "/internal/sessions/revoked?since=\(since)",
                requestID: "gateway-revocations",
                logger: logger
            )
            guard reply.isSuccess else { return }
            let entries = try reply.decode([RevokedSession].self, from: client.name)
            list.add(entries.map { ($0.sessionID, Date(timeIntervalSince1970: $0.revokedAt)) })
        } catch {
            logger.debug("revocations.poll_failed", metadata: ["error": "\(error)"])
        }
    }
}
