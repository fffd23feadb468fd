import NIOCore
import Shared

/// Reads the seed's avatar upload: a `multipart/form-data` body with the picture in `avatar_file`.
///
/// The body is parsed by ``MultipartFormData`` (ours, in `WireFormats`): it checks every byte of the
/// part headers before reading them, and `make fuzz` runs it under libFuzzer.
enum AvatarForm {
    /// The name of the field holding the picture.
    static var fieldName: String { "avatar_file" }

    /// The `boundary` parameter of a `multipart/form-data` content type.
    /// - Throws: ``UsersError/notMultipart`` for any other content type or a missing boundary.
    static func boundary(contentType: String?) throws -> String {
        guard let contentType, let boundary = MultipartFormData.boundary(fromContentType: contentType) else {
            throw UsersError.notMultipart
        }
        return boundary
    }

    /// The bytes of the first `avatar_file` part of `body`.
    /// - Throws: ``UsersError/malformedUpload(_:)`` when the body breaks the multipart grammar,
    ///   ``UsersError/missingAvatarFile`` when it has no such part or the part is empty.
    static func file(in body: ByteBuffer, boundary: String) throws -> [UInt8] {
        let form: MultipartFormData
        do {
            form = try MultipartFormData(parsing: Array(body.readableBytesView), boundary: boundary)
        } catch {
            throw UsersError.malformedUpload(error)
        }
        guard let part = form.parts.first(where: { $0.fieldName == fieldName }), !part.body.isEmpty else {
            throw UsersError.missingAvatarFile
        }
        return Array(part.body)
    }
}
