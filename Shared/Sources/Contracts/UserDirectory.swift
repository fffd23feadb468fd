import Logging
import NIOHTTP1

/// Where a service looks up who users are (PrivateChat for message owners, Auth for QR login). Owned by
/// the Users service; reached over its internal API.
public protocol UserDirectory: Sendable {
    /// The summaries of these users, in one call, keyed by id; unknown ids are absent.
    func summaries(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: UserSummary]
}

/// ``UserDirectory`` over the Users service's `POST /internal/profiles/summaries`.
public struct UsersServiceDirectory: UserDirectory {
    let client: ServiceClient

    public init(client: ServiceClient) {
        self.client = client
    }

    public func summaries(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: UserSummary] {
        guard !ids.isEmpty else { return [:] }
        let reply = try await client.send(
            .POST,
            "/internal/profiles/summaries",
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
