import HTTPTypes
import Logging
import ServiceLifecycle
import Shared

/// Reports who is active to Users and announces the presence changes it gets back.
///
/// Every ``interval`` (`PRESENCE_FLUSH_MS`) the users of this gateway's identified connections and those
/// who made an authenticated request since the last report (``ActiveUsers``) go to Users in one call
/// (``InternalRoute/presence``). Users marks them active and answers the changes nobody has announced
/// yet: users who came online, and users silent for the whole online window (whoever they were reported
/// by). Each change goes to one report only, so exactly one gateway announces it: `PRESENCE_UPDATE` to
/// the user's contacts (asked of PrivateChat), an ephemeral notice every gateway hands to its live
/// connections. Memory: one `Int64` per user in a `Set` between reports.
public struct PresenceReporter: Service {
    let active: ActiveUsers
    let registry: ConnectionRegistry
    let users: ServiceClient
    let contacts: any ContactDirectory
    let store: PostgresEventStore
    let interval: Duration
    let logger: Logger
    /// Until then a failed report is logged at `debug` level (its call at `error`): Users starts with the
    /// gateway and may not listen yet.
    let quietUntil: ContinuousClock.Instant

    static let type = "PRESENCE_UPDATE"

    init(
        active: ActiveUsers,
        registry: ConnectionRegistry,
        users: ServiceClient,
        contacts: any ContactDirectory,
        store: PostgresEventStore,
        interval: Duration,
        startupGrace: Duration = .seconds(15),
        logger: Logger
    ) {
        self.active = active
        self.registry = registry
        self.users = users
        self.contacts = contacts
        self.store = store
        self.interval = interval
        self.logger = logger
        quietUntil = .now + startupGrace
    }

    public func run() async throws {
        await PeriodicWork.run(every: interval, startImmediately: false) { await flush() }
    }

    /// One report (several when more than ``PresenceReport/maxUserIDs`` users are active; at least one, which
    /// finds who went offline), then the announcements of the changes it found.
    func flush() async {
        var seen = active.take()
        seen.formUnion(registry.userIDs())
        let ids = seen.sorted()
        var changes: [PresenceChange] = []
        var start = 0
        repeat {
            let end = min(start + PresenceReport.maxUserIDs, ids.count)
            do {
                changes += try await report(Array(ids[start..<end]))
            } catch {
                // The requests' users are reported next time (the connected ones are anyway).
                active.restore(ids[start...])
                let level: Logger.Level = ContinuousClock.now < quietUntil ? .debug : .warning
                logger.log(level: level, "presence.report_failed", metadata: ["error": "\(error)"])
                break
            }
            start = end
        } while start < ids.count
        for change in changes { await announce(change) }
    }

    /// Sends one report; the changes to announce.
    func report(_ userIDs: [Int64]) async throws -> [PresenceChange] {
        var callLogger = logger
        if ContinuousClock.now < quietUntil { callLogger.logLevel = max(callLogger.logLevel, .error) }
        let reply = try await users.send(
            .post,
            InternalRoute.presence.path(),
            body: PresenceReport(userIDs: userIDs),
            requestID: "gateway-presence",
            logger: callLogger
        )
        guard reply.isSuccess else { throw APIError.unavailable(users.name) }
        return try reply.decode([PresenceChange].self, from: users.name)
    }

    /// `PRESENCE_UPDATE` of `change` to the user's contacts, on every gateway. A change that cannot be
    /// announced now is lost (presence is ephemeral; the REST objects carry it).
    func announce(_ change: PresenceChange) async {
        do {
            let recipients = try await contacts.contacts(
                of: change.userID,
                requestID: "gateway-presence",
                logger: logger
            )
            try await store.announce(Self.type, payload: change.jsonText, to: recipients, logger: logger)
        } catch {
            logger.warning(
                "presence.announce_failed",
                metadata: ["user_id": "\(change.userID)", "error": "\(String(reflecting: error))"]
            )
        }
    }
}
