/// Failures of the Users domain.
public enum UsersError: Error, Equatable {
    /// Another profile has this username (ignoring case).
    case usernameTaken
    /// A profile with this id exists already.
    case profileExists
    /// A required query parameter is missing.
    case missingUsername
    /// Too many ids in one summary request.
    case tooManyIDs(limit: Int)
    /// A user id that is not a positive integer.
    case invalidID
}
