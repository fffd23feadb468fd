import HTTPTypes
import Logging
import Shared

/// ``PublicKeySource`` reading Auth's `GET /internal/keys`.
public struct AuthServiceKeySource: PublicKeySource {
    let client: ServiceClient

    public init(client: ServiceClient) {
        self.client = client
    }

    public func keys(logger: Logger) async throws -> PublicJWKSet {
        let reply = try await client.send(
            .get,
            InternalRoute.signingKeys.path(),
            requestID: "gateway-keys",
            logger: logger
        )
        guard reply.isSuccess else { throw APIError.unavailable(client.name) }
        return try reply.decode(PublicJWKSet.self, from: client.name)
    }
}
