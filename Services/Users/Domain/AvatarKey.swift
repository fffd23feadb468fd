import Foundation
import Shared

/// Object keys of avatars: `avatars/<user id>/<32 random hex digits>.<extension>`.
///
/// The random part makes keys unguessable and unique, so a new avatar never overwrites an old one in a
/// cache, and nothing of the client's file name reaches storage.
public enum AvatarKey {
    /// A fresh key for a picture of `format` owned by `userID`.
    public static func make(userID: Int64, format: ImageFormat) -> String {
        "avatars/\(userID)/\(Hex.random(bytes: 16)).\(format.fileExtension)"
    }
}
