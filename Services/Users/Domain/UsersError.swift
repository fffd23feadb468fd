import Shared

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
    /// An outside avatar URL that is not https or too long.
    case invalidAvatarURL
    /// The upload is not `multipart/form-data`.
    case notMultipart
    /// The multipart body breaks the grammar (RFC 7578, RFC 2046).
    case malformedUpload(MultipartError)
    /// The multipart body has no `avatar_file` part (or it is empty).
    case missingAvatarFile
    /// The file is not a PNG, JPEG, WebP or GIF picture.
    case unsupportedAvatarType
    /// The file (or the whole upload) is larger than allowed.
    case avatarTooLarge(limit: Int)
    /// The caller has no profile.
    case profileNotFound
}
