import Hummingbird
import Shared

/// Routes only other services call (``InternalRoute``), behind the internal token.
public struct InternalProfileRoutes: Sendable {
    /// Most ids one summary request may ask for.
    static var maxIDs: Int { 1000 }

    let store: PostgresProfileStore

    public init(store: PostgresProfileStore) {
        self.store = store
    }

    public func addRoutes(to router: Router<MessengerRequestContext>) {
        router.post(RouterPath(InternalRoute.profiles.pattern), use: create)
        router.delete(RouterPath(InternalRoute.profile.pattern), use: delete)
        router.post(RouterPath(InternalRoute.profileSummaries.pattern), use: summaries)
    }

    /// Creates the profile of a user Auth is registering: 201 with the summary, 409 when the username is taken.
    @Sendable func create(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: NewProfile.self)
        try ProfileRules.validate(username: input.username)
        try ProfileRules.validate(description: input.description, status: input.status)
        guard input.id > 0 else { throw UsersError.invalidID }
        if let url = input.avatarURL {
            guard url.hasPrefix("https://"), url.utf8.count <= 512 else { throw UsersError.invalidAvatarURL }
        }
        let profile = Profile(
            id: input.id,
            username: input.username,
            description: input.description,
            status: input.status,
            avatarURL: input.avatarURL
        )
        try await store.create(profile, logger: context.logger)
        return try profile.summary.response(status: .created)
    }

    /// Deletes a profile (Auth's compensation when a registration fails after the profile was created).
    @Sendable func delete(_ request: Request, context: MessengerRequestContext) async throws -> HTTPResponse.Status {
        guard let id = context.parameters.get("id").flatMap(Int64.init), id > 0 else { throw UsersError.invalidID }
        try await store.delete(id: id, logger: context.logger)
        return .noContent
    }

    /// Summaries of many users in one call; with `?presence=true`, each with `is_online` and
    /// `last_online_at` (a chat's member list).
    @Sendable func summaries(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: SummaryRequest.self)
        guard input.ids.count <= Self.maxIDs else { throw UsersError.tooManyIDs(limit: Self.maxIDs) }
        let ids = Array(Set(input.ids))
        if request.uri.queryParameters.get("presence") == "true" {
            return try await store.publicUsers(ids: ids, logger: context.logger).jsonResponse()
        }
        return try await store.summaries(ids: ids, logger: context.logger).jsonResponse()
    }
}
