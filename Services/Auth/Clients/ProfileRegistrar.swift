import Logging
import Shared

/// Where Auth creates and removes the profile of a user it registers: the Users service.
public protocol ProfileRegistrar: Sendable {
    /// Creates the profile.
    /// - Throws: ``AuthError/usernameTaken``, an ``APIError`` 422 from Users' own checks, or 503.
    func create(_ profile: NewProfile, requestID: String, logger: Logger) async throws

    /// Removes a profile created by a registration that then failed.
    func delete(id: Int64, requestID: String, logger: Logger) async throws
}
