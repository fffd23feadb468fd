import Foundation
import Logging
import PostgresNIO
import Shared

/// Presence, on the profiles (`last_online_at`, `announced_online`, `presence_announced_at`): the gateways
/// report who was active, and each report gets back the changes of presence to announce.
public struct PostgresPresenceStore: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// The advisory lock that makes reports one at a time: a report's two statements lock profiles in
    /// different orders, and two reports running together could deadlock.
    static let reportLock: Int64 = 0x6d65_7373_7072_7365

    /// Marks `userIDs` active now and finds the presence changes nobody has announced yet: users active
    /// within the online window whose last announcement was `offline` (or who never had one), and users
    /// announced `online` whose window has ended; each at most once per
    /// ``PresenceRules/announcementIntervalSeconds`` (a change within it waits for a later report).
    /// A change is recorded as announced in the same statement that finds it, so each goes to one
    /// report only, whichever gateway sent it.
    public func report(_ userIDs: [Int64], logger: Logger) async throws -> [PresenceChange] {
        try await client.inTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.reportLock))", logger: logger)
            if !userIDs.isEmpty {
                try await connection.query(
                    "UPDATE users.profiles SET last_online_at = now() WHERE id = ANY(\(userIDs))",
                    logger: logger
                )
            }
            let window = Double(PresenceRules.onlineWindowSeconds)
            let interval = Double(PresenceRules.announcementIntervalSeconds)
            let rows = try await connection.query(
                """
                UPDATE users.profiles SET announced_online = NOT announced_online, presence_announced_at = now()
                WHERE last_online_at IS NOT NULL
                  AND ((announced_online = false AND last_online_at > now() - make_interval(secs => \(window)))
                    OR (announced_online = true AND last_online_at <= now() - make_interval(secs => \(window))))
                  AND (presence_announced_at IS NULL
                    OR presence_announced_at <= now() - make_interval(secs => \(interval)))
                RETURNING id, announced_online, last_online_at
                """,
                logger: logger
            )
            var changes: [PresenceChange] = []
            for try await (id, online, lastOnline) in rows.decode((Int64, Bool, Date).self) {
                changes.append(
                    PresenceChange(
                        userID: id,
                        status: online ? .online : .offline,
                        lastOnlineAt: UTCTimestamp.iso8601(lastOnline)
                    )
                )
            }
            return changes.sorted { $0.userID < $1.userID }
        }
    }
}
