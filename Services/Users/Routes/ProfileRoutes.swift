import Hummingbird
import Shared

/// Public profile routes (`/users/...`), reached through the gateway with a verified caller.
public struct ProfileRoutes: Sendable {
    let store: PostgresProfileStore

    public init(store: PostgresProfileStore) {
        self.store = store
    }

    public func addRoutes(to group: RouterGroup<AuthenticatedRequestContext>) {
        group.get("user", use: search)
    }

    /// Seed function 1: `GET /users/user/?username=` -> `[{id, username, avatar_url, is_online,
    /// last_online_at}]`, exact match ignoring case.
    @Sendable func search(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        guard let username = request.uri.queryParameters.get("username"), !username.isEmpty else {
            throw UsersError.missingUsername
        }
        guard username.count <= 64 else { return [PublicUser]().jsonResponse() }
        return try await store.publicUsers(username: username, logger: context.logger).jsonResponse()
    }
}
