import Logging
import NIOHTTP1
import Shared

/// Where Auth creates and removes the profile of a user it registers: the Users service.
public protocol ProfileRegistrar: Sendable {
    /// Creates the profile.
    /// - Throws: ``AuthError/usernameTaken``, an ``APIError`` 422 from Users' own checks, or 503.
    func create(_ profile: NewProfile, requestID: String, logger: Logger) async throws

    /// Removes a profile created by a registration that then failed.
    func delete(id: Int64, requestID: String, logger: Logger) async throws
}

/// ``ProfileRegistrar`` over the Users service's internal API.
public struct UsersServiceRegistrar: ProfileRegistrar {
    let client: ServiceClient

    public init(client: ServiceClient) {
        self.client = client
    }

    public func create(_ profile: NewProfile, requestID: String, logger: Logger) async throws {
        let reply = try await client.send(
            .POST,
            "/internal/profiles",
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
        let reply = try await client.send(.DELETE, "/internal/profiles/\(id)", requestID: requestID, logger: logger)
        guard reply.isSuccess else { throw APIError.unavailable(client.name) }
    }
}
