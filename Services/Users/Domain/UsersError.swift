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
    /// The file starts like an accepted picture but its structure is broken (truncated, inconsistent, or
    /// another document behind an image header).
    case malformedAvatar
    /// The picture's width, height or area is outside ``ImageValidator``'s bounds.
    case avatarDimensionsOutOfRange(maxSide: Int, maxPixels: Int)
    /// The file (or the whole upload) is larger than allowed.
    case avatarTooLarge(limit: Int)
    /// The caller has no profile.
    case profileNotFound
}

extension UsersError {
    /// The error an avatar upload answers for a picture ``ImageValidator`` refused.
    public init(_ failure: ImageValidator.Failure) {
        switch failure {
        case .notAnImage:
            self = .unsupportedAvatarType
        case .malformed:
            self = .malformedAvatar
        case .dimensionsOutOfRange:
            self = .avatarDimensionsOutOfRange(maxSide: ImageValidator.maxSide, maxPixels: ImageValidator.maxPixels)
        }
    }
}
