import Foundation

/// Object keys of avatars: `avatars/<user id>/<32 random hex digits>.<extension>`.
///
/// The random part makes keys unguessable and unique, so a new avatar never overwrites an old one in a
/// cache, and nothing of the client's file name reaches storage.
public enum AvatarKey {
    /// A fresh key for a picture of `format` owned by `userID`.
    public static func make(userID: Int64, format: ImageFormat) -> String {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }
        return "avatars/\(userID)/\(random.joined()).\(format.fileExtension)"
    }
}
