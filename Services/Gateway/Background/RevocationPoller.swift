import Foundation
import HTTPTypes
import Logging
import ServiceLifecycle
import Shared

/// Keeps the gateway's ``RevocationList`` current by asking Auth for newly revoked sessions every
/// ``interval``; a logout takes effect at the gateway within that time.
public struct RevocationPoller: Service {
    let client: ServiceClient
    let list: RevocationList
    let interval: Duration
    let logger: Logger
    /// Until then a failed call is not a warning: Auth starts with the gateway (in one process it first
    /// migrates its schema), and the first polls regularly come before it listens.
    let quietUntil: ContinuousClock.Instant

    /// - Parameter startupGrace: how long after start a failed poll is logged only at `error` level
    ///   by the call itself (the poll's own failure is always a `debug` line).
    public init(
        client: ServiceClient,
        list: RevocationList,
        interval: Duration = .seconds(2),
        startupGrace: Duration = .seconds(15),
        logger: Logger
    ) {
        self.client = client
        self.list = list
        self.interval = interval
        self.logger = logger
        quietUntil = .now + startupGrace
    }

    public func run() async throws {
        await PeriodicWork.run(every: interval, startImmediately: true) { await poll() }
    }

    /// Fetches the revocations committed since the list's cursor; failures are logged and retried next time.
    ///
    /// The cursor is in commit order (``CommitCursor``), so a logout whose transaction commits after a later
    /// one is still fetched; sessions listed again are added again, which changes nothing.
    public func poll() async {
        let query = list.cursor.map { "after=\($0)" }
        var callLogger = logger
        if ContinuousClock.now < quietUntil { callLogger.logLevel = max(callLogger.logLevel, .error) }
        do {
            let reply = try await client.send(
                .get,
                InternalRoute.revokedSessions.path(query: query),
                requestID: "gateway-revocations",
                logger: callLogger
            )
            guard reply.isSuccess else { return }
            let page = try reply.decode(RevocationPage.self, from: client.name)
            guard let cursor = CommitCursor(page.cursor) else {
                logger.warning("revocations.bad_cursor", metadata: ["cursor": "\(page.cursor)"])
                return
            }
            list.add(page.sessions.map { ($0.sessionID, Date(timeIntervalSince1970: $0.revokedAt)) }, cursor: cursor)
        } catch {
            logger.debug("revocations.poll_failed", metadata: ["error": "\(error)"])
        }
    }
}
