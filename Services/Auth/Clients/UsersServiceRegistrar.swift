import HTTPTypes
import Logging
import Shared

/// ``ProfileRegistrar`` over the Users service's internal API.
public struct UsersServiceRegistrar: ProfileRegistrar {
    let client: ServiceClient

    public init(client: ServiceClient) {
        self.client = client
    }

    public func create(_ profile: NewProfile, requestID: String, logger: Logger) async throws {
        let reply = try await client.send(
            .post,
            InternalRoute.profiles.path(),
            body: profile,
            requestID: requestID,
            logger: logger
        )
        switch reply.status {
        case 200..<300:
            return
        case 409:
            throw AuthError.usernameTaken
        case 422:
            throw APIError.invalidField(reply.detail ?? "Invalid profile")
        default:
            throw APIError.unavailable(client.name)
        }
    }

    public func delete(id: Int64, requestID: String, logger: Logger) async throws {
        let reply = try await client.send(
            .delete,
            InternalRoute.profile.path(id: id),
            requestID: requestID,
            logger: logger
        )
        guard reply.isSuccess else { throw APIError.unavailable(client.name) }
    }
}
