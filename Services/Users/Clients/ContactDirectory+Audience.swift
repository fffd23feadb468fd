import Logging
import Shared

extension ContactDirectory {
    /// Who receives the `USER_UPDATE` of a change of `userID`'s profile: the users who share a chat with
    /// it, and itself. Asked before the change's transaction (no network call inside one); when
    /// PrivateChat cannot answer, the change still goes through, announced to the user alone.
    func audience(of userID: Int64, requestID: String, logger: Logger) async -> [Int64] {
        do {
            return try await contacts(of: userID, requestID: requestID, logger: logger) + [userID]
        } catch {
            logger.warning(
                "users.contacts_unavailable",
                metadata: ["user_id": "\(userID)", "error": "\(String(reflecting: error))"]
            )
            return [userID]
        }
    }
}
