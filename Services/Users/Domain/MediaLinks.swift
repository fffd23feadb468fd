import Shared

/// Turns stored object keys into the public URLs clients load them from.
public struct MediaLinks: Sendable, Equatable {
    /// Base URL without a trailing slash: `<PUBLIC_URL>/media` locally, the bucket's public URL in S3 mode.
    public let baseURL: String

    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// The public URL of the object `key`.
    public func url(for key: String) -> String {
        baseURL + "/" + SigV4Signer.encodePath(key)
    }
}
