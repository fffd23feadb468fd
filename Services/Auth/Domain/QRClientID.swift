/// The id a browser makes at random for one QR login: 16-128 URL-safe characters (`[A-Za-z0-9_-]`).
public enum QRClientID {
    /// Allowed length.
    public static let length = 16...128

    /// Whether `text` is a well-formed client id.
    public static func isValid(_ text: String?) -> Bool {
        guard let text, length.contains(text.utf8.count) else { return false }
        return text.utf8.allSatisfy {
            (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D
                || $0 == 0x5F
        }
    }
}
