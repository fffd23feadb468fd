import Logging
import Shared

/// Storage of profiles.
public protocol ProfileStore: Sendable {
    /// Stores a new profile.
    /// - Throws: ``UsersError/usernameTaken`` or ``UsersError/profileExists``.
    func create(_ profile: Profile, logger: Logger) async throws

    /// Deletes a profile; deleting a missing one is not an error.
    func delete(id: Int64, logger: Logger) async throws

    /// Makes `key` the user's avatar, in place of an outside picture.
    /// - Returns: the key of the avatar it replaces, if any.
    /// - Throws: ``UsersError/profileNotFound``.
    func replaceAvatar(userID: Int64, key: String, logger: Logger) async throws -> String?

    /// Profiles whose username equals `username`, ignoring case.
    func summaries(username: String, logger: Logger) async throws -> [UserSummary]

    /// Summaries of the profiles with these ids (missing ids are skipped), in one query.
    func summaries(ids: [Int64], logger: Logger) async throws -> [UserSummary]
}
