import Logging

/// Who shares a chat with a user: the users who hear of the user's presence and profile changes. Owned
/// by PrivateChat (membership); reached over its internal API.
public protocol ContactDirectory: Sendable {
    /// The ids of the users who share at least one chat with `userID`, without `userID`, ascending.
    func contacts(of userID: Int64, requestID: String, logger: Logger) async throws -> [Int64]
}
