import Foundation

/// A `multipart/form-data` body, as browsers and HTTP libraries send file uploads.
public struct MultipartBody: Sendable {
    /// The `Content-Type` header value, with the boundary.
    public var contentType: String
    public var bytes: [UInt8]

    /// One file `field` with `file`'s bytes, named `filename` and declared as `fileType`, plus text `fields`.
    public init(
        field: String = "avatar_file",
        filename: String = "avatar.png",
        fileType: String = "image/png",
        file: [UInt8],
        fields: [(String, String)] = []
    ) {
        let boundary = "----messenger-test-\(UUID().uuidString)"
        contentType = "multipart/form-data; boundary=\(boundary)"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: \(fileType)\r\n\r\n"
                .utf8
        )
        body += file
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        bytes = body
    }
}

/// Small real pictures of each accepted format, and padding to reach a size.
public enum TestImages {
    /// A 1x1 PNG.
    public static let png: [UInt8] = Array(
        Data(
            base64Encoded:
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
        )!
    )
    /// A 1x1 GIF.
    public static let gif: [UInt8] = Array(Data(base64Encoded: "R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==")!)
    /// A 1x1 grey baseline JPEG: SOI, JFIF APP0, a quantisation table, SOF0, one-code DC and AC Huffman
    /// tables, SOS, one block (DC difference 0, end of block) and EOI.
    public static let jpeg: [UInt8] =
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        + [0xFF, 0xDB, 0x00, 0x43, 0x00] + [UInt8](repeating: 1, count: 64)
        + [0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00]
        + [0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01] + [UInt8](repeating: 0, count: 15) + [0x00]
        + [0xFF, 0xC4, 0x00, 0x14, 0x10, 0x01] + [UInt8](repeating: 0, count: 15) + [0x00]
        + [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00] + [0x3F] + [0xFF, 0xD9]
    /// A 1x1 lossless WebP (`VP8L`).
    public static let webp: [UInt8] =
        Array("RIFF".utf8) + [26, 0, 0, 0] + Array("WEBPVP8L".utf8) + [13, 0, 0, 0, 0x2F]
        + [0, 0, 0, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xFE, 0x07, 0x00]

    /// `image` followed by zero bytes up to `size` bytes in all.
    public static func padded(_ image: [UInt8], to size: Int) -> [UInt8] {
        image + [UInt8](repeating: 0, count: max(0, size - image.count))
    }
}
