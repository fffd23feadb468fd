import Logging

/// Where a service looks up who users are (PrivateChat for message owners and chat members, Auth for QR
/// login). Owned by the Users service; reached over its internal API.
public protocol UserDirectory: Sendable {
    /// The summaries of these users, in one call, keyed by id; unknown ids are absent.
    func summaries(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: UserSummary]

    /// The summaries of these users with their presence, in one call, keyed by id; unknown ids are absent.
    func publicUsers(of ids: Set<Int64>, requestID: String, logger: Logger) async throws -> [Int64: PublicUser]
}
