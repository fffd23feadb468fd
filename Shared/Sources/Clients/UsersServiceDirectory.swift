import HTTPTypes
import Logging

/// ``UserDirectory`` over the Users service's `POST /internal/profiles/summaries`.
public struct UsersServiceDirectory: UserDirectory {
    let client: ServiceClient

    public init(client: ServiceClient) {
        self.client = client
    }

    public func summaries(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: UserSummary] {
        guard !ids.isEmpty else { return [:] }
        let reply = try await client.send(
            .post,
            InternalRoute.profileSummaries.path(),
            body: SummaryRequest(ids: ids.sorted()),
            requestID: requestID,
            isIdempotent: true,
            logger: logger
        )
        guard reply.isSuccess else { throw APIError.unavailable(client.name) }
        let list = try reply.decode([UserSummary].self, from: client.name)
        return Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
