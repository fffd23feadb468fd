import HTTPTypes
import Logging

/// ``UserDirectory`` over the Users service's `POST /internal/profiles/summaries`.
public struct UsersServiceDirectory: UserDirectory {
    let client: ServiceClient

    public init(client: ServiceClient) {
        self.client = client
    }

    public func summaries(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: UserSummary] {
        let list = try await fetch([UserSummary].self, ids: ids, query: nil, requestID: requestID, logger: logger)
        return Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func publicUsers(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: PublicUser] {
        let list = try await fetch(
            [PublicUser].self,
            ids: ids,
            query: "presence=true",
            requestID: requestID,
            logger: logger
        )
        return Dictionary(list.map { ($0.summary.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func fetch<List: Decodable & RangeReplaceableCollection>(
        _ type: List.Type,
        ids: Set<Int64>,
        query: String?,
        requestID: String,
        logger: Logger
    ) async throws -> List {
        guard !ids.isEmpty else { return List() }
        let reply = try await client.send(
            .post,
            InternalRoute.profileSummaries.path(query: query),
            body: SummaryRequest(ids: ids.sorted()),
            requestID: requestID,
            isIdempotent: true,
            logger: logger
        )
        guard reply.isSuccess else { throw APIError.unavailable(client.name) }
        return try reply.decode(type, from: client.name)
    }
}
