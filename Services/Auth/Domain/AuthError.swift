/// Failures of the Auth domain.
public enum AuthError: Error, Equatable {
    /// Another account has this e-mail (ignoring case).
    case emailTaken
    /// Users reports the username taken.
    case usernameTaken
    /// Unknown e-mail or wrong password: deliberately the same answer for both.
    case invalidCredentials
    case invalidEmail
    case invalidPassword(bytes: ClosedRange<Int>)
    /// The refresh token is unknown, expired, revoked or was already used.
    case invalidRefreshToken
}
