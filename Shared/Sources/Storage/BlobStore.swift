import Logging

/// Where pictures and files are kept: a local directory or an S3-compatible bucket.
public protocol BlobStore: Sendable {
    /// Stores `bytes` under `key`.
    /// - Throws: ``APIError`` 503 when the storage cannot be reached or refuses the write.
    func put(_ bytes: [UInt8], key: String, contentType: String, logger: Logger) async throws

    /// Removes the object `key`; removing a missing object is not an error.
    /// - Throws: ``APIError`` 503 when the storage cannot be reached or refuses.
    func delete(key: String, logger: Logger) async throws
}
