import Hummingbird
import Logging
import NIOCore
import Shared

/// Avatar upload (`/users/upload-avatar/`), reached through the gateway with a verified caller.
public struct AvatarRoutes<Blobs: BlobStore, Contacts: ContactDirectory>: Sendable {
    /// Room for the multipart framing around the file.
    static var framingAllowance: Int { 64 * 1024 }

    let profiles: PostgresProfileStore
    let blobs: Blobs
    let media: MediaLinks
    /// Who hears of the change (`USER_UPDATE`).
    let contacts: Contacts
    /// Largest picture accepted, in bytes.
    let maxSize: Int

    public init(profiles: PostgresProfileStore, blobs: Blobs, media: MediaLinks, contacts: Contacts, maxSize: Int) {
        self.profiles = profiles
        self.blobs = blobs
        self.media = media
        self.contacts = contacts
        self.maxSize = maxSize
    }

    public func addRoutes(to group: RouterGroup<AuthenticatedRequestContext>) {
        group.post("upload-avatar", use: upload)
    }

    /// Seed function 2: stores the picture in `avatar_file` as the caller's avatar and removes the
    /// previous one; `{"detail": "success", "avatar_url": ...}`.
    ///
    /// The picture is stored first and the profile updated after, so a failed upload changes nothing
    /// the user sees; a picture whose profile update fails is removed again. The update and its
    /// `USER_UPDATE` (to the user's contacts and the user) commit together.
    @Sendable func upload(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let boundary = try AvatarForm.boundary(contentType: request.headers[.contentType])
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxSize + Self.framingAllowance)
        } catch {
            throw UsersError.avatarTooLarge(limit: maxSize)
        }
        let file = try AvatarForm.file(in: body, boundary: boundary)
        guard file.count <= maxSize else { throw UsersError.avatarTooLarge(limit: maxSize) }
        // The whole structure is checked and anything after the picture's end marker is dropped, so no
        // script or markup hidden behind an image header is stored.
        let image: ImageValidator.Image
        do throws(ImageValidator.Failure) {
            image = try ImageValidator.validate(file)
        } catch {
            throw UsersError(error)
        }
        let userID = context.caller.userID
        let key = AvatarKey.make(userID: userID, format: image.format)
        try await blobs.put(image.bytes, key: key, contentType: image.format.contentType, logger: context.logger)
        let recipients = await contacts.audience(of: userID, requestID: context.requestID, logger: context.logger)
        let previous: String?
        do {
            previous = try await profiles.replaceAvatar(
                userID: userID,
                key: key,
                notifying: recipients,
                logger: context.logger
            )
        } catch {
            try? await blobs.delete(key: key, logger: context.logger)
            throw error
        }
        if let previous {
            do {
                try await blobs.delete(key: previous, logger: context.logger)
            } catch {
                context.logger.warning("avatar.previous_not_deleted", metadata: ["key": "\(previous)"])
            }
        }
        return try AvatarOutput(avatarURL: media.url(for: key)).response()
    }
}

/// `{"detail": "success"}` as the seed answers, plus the new avatar's URL.
struct AvatarOutput: Encodable {
    var detail = "success"
    var avatarURL: String

    enum CodingKeys: String, CodingKey {
        case detail
        case avatarURL = "avatar_url"
    }
}
