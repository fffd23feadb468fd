/// The response headers that make a stored media file inert in a browser, for every way it is served:
/// the gateway's `/media/` (local mode) and the objects written to S3.
///
/// Media come from users and, in local mode, share the origin of `/login`; a file a browser took for HTML
/// or script could act as the logged-in user. Every answer therefore says exactly what it is.
public enum MediaHeaders {
    /// `X-Content-Type-Options`: the browser never guesses a type from the bytes.
    public static var contentTypeOptions: String { "nosniff" }

    /// `Content-Security-Policy`: a file opened as a page loads and runs nothing and has an opaque origin.
    public static var contentSecurityPolicy: String { "default-src 'none'; sandbox" }

    /// `Content-Disposition: inline` with the last segment of `key` as the file name.
    ///
    /// Our keys end in `<hex>.<extension>`; any other segment (or one too long) is named `media`, so nothing
    /// from a URL can break out of the quoted value.
    public static func contentDisposition(forKey key: String) -> String {
        "inline; filename=\"\(fileName(forKey: key))\""
    }

    /// The file name `contentDisposition(forKey:)` announces.
    static func fileName(forKey key: String) -> String {
        let last = key.split(separator: "/").last.map(String.init) ?? ""
        let isPlain =
            (1...128).contains(last.utf8.count) && last != "." && last != ".."
            && last.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
        return isPlain ? last : "media"
    }
}
