import Hummingbird
import Shared

/// The gateways' presence reports (``InternalRoute/presence``), behind the internal token.
public struct InternalPresenceRoutes: Sendable {
    let store: PostgresPresenceStore

    public init(store: PostgresPresenceStore) {
        self.store = store
    }

    public func addRoutes(to router: Router<MessengerRequestContext>) {
        router.post(RouterPath(InternalRoute.presence.pattern), use: report)
    }

    /// `{"user_ids": [...]}`: these users were active; answers the presence changes the caller is to
    /// announce (`[{"user_id", "status", "last_online_at"}]`, each handed to one report only).
    @Sendable func report(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: PresenceReport.self)
        guard input.userIDs.count <= PresenceReport.maxUserIDs else {
            throw UsersError.tooManyIDs(limit: PresenceReport.maxUserIDs)
        }
        guard input.userIDs.allSatisfy({ $0 > 0 }) else { throw UsersError.invalidID }
        let ids = Array(Set(input.userIDs)).sorted()
        return try await store.report(ids, logger: context.logger).jsonResponse()
    }
}
