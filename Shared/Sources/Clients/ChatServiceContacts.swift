import HTTPTypes
import Logging

/// ``ContactDirectory`` over PrivateChat's `GET /internal/users/{id}/contacts`.
public struct ChatServiceContacts: ContactDirectory {
    let client: ServiceClient

    public init(client: ServiceClient) {
        self.client = client
    }

    public func contacts(of userID: Int64, requestID: String, logger: Logger) async throws -> [Int64] {
        let reply = try await client.send(
            .get,
            InternalRoute.userContacts.path(id: userID),
            requestID: requestID,
            logger: logger
        )
        guard reply.isSuccess else { throw APIError.unavailable(client.name) }
        return try reply.decode([Int64].self, from: client.name)
    }
}
