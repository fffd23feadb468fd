import Foundation
import MultipartKit
import NIOCore

/// Reads the seed's avatar upload: a `multipart/form-data` body with the picture in `avatar_file`.
enum AvatarForm {
    /// The name of the field holding the picture.
    static var fieldName: String { "avatar_file" }

    /// The `boundary` parameter of a `multipart/form-data` content type.
    /// - Throws: ``UsersError/notMultipart`` for any other content type or a missing boundary.
    static func boundary(contentType: String?) throws -> String {
        guard let contentType else { throw UsersError.notMultipart }
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { throw UsersError.notMultipart }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else {
                continue
            }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            // RFC 2046: 1-70 characters.
            guard (1...70).contains(value.utf8.count) else { throw UsersError.notMultipart }
            return value
        }
        throw UsersError.notMultipart
    }

    /// The bytes of the first `avatar_file` part of `body`.
    /// - Throws: ``UsersError/missingAvatarFile`` when the body is malformed or has no such part.
    static func file(in body: ByteBuffer, boundary: String) throws -> [UInt8] {
        let parser = MultipartParser(boundary: boundary)
        var headers: [(String, String)] = []
        var content = ByteBuffer()
        var found: [UInt8]?
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { chunk in content.writeBuffer(&chunk) }
        parser.onPartComplete = {
            if found == nil, fieldName(of: headers) == fieldName {
                found = Array(content.readableBytesView)
            }
            headers = []
            content.clear()
        }
        do {
            try parser.execute(body)
        } catch {
            throw UsersError.missingAvatarFile
        }
        guard let found, !found.isEmpty else { throw UsersError.missingAvatarFile }
        return found
    }

    /// The `name` parameter of a part's `Content-Disposition: form-data; name="..."`.
    static func fieldName(of headers: [(String, String)]) -> String? {
        guard let disposition = headers.first(where: { $0.0.lowercased() == "content-disposition" })?.1 else {
            return nil
        }
        for parameter in disposition.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "name" else { continue }
            return pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
