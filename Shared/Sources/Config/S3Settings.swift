import Foundation

/// Where avatars go in S3 mode: an S3-compatible bucket (AWS, Yandex Object Storage, MinIO).
///
/// S3 mode is on when `S3_BUCKET` is set; the endpoint and both keys are then required.
public struct S3Settings: Sendable, Equatable {
    /// The storage's base URL, e.g. `https://storage.yandexcloud.net` (`S3_ENDPOINT`).
    public var endpoint: String
    /// The signing region (`S3_REGION`, default `us-east-1`; Yandex uses `ru-central1`).
    public var region: String
    /// The bucket (`S3_BUCKET`).
    public var bucket: String
    /// The access key id (`S3_ACCESS_KEY_ID`).
    public var accessKeyID: String
    /// The secret key (`S3_SECRET_ACCESS_KEY`).
    public var secretAccessKey: String
    /// Public base URL of the bucket's objects (`S3_PUBLIC_URL`); by default derived from the endpoint.
    public var publicURL: String?
    /// Address objects as `endpoint/bucket/key` (`S3_PATH_STYLE`, default true) instead of
    /// `bucket.endpoint/key`.
    public var pathStyle: Bool

    public init(
        endpoint: String,
        region: String = "us-east-1",
        bucket: String,
        accessKeyID: String,
        secretAccessKey: String,
        publicURL: String? = nil,
        pathStyle: Bool = true
    ) {
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.region = region
        self.bucket = bucket
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.publicURL = publicURL
        self.pathStyle = pathStyle
    }

    /// Reads the `S3_*` variables; `nil` when `S3_BUCKET` is unset.
    /// - Throws: ``ConfigError`` naming a missing or invalid variable.
    init?(reader: EnvironmentReader) throws {
        guard let bucket = reader.string("S3_BUCKET") else { return nil }
        func required(_ name: String) throws -> String {
            guard let value = reader.string(name) else {
                throw ConfigError(variable: name, reason: "is required when S3_BUCKET is set")
            }
            return value
        }
        let endpoint = try required("S3_ENDPOINT")
        guard let url = URL(string: endpoint), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil
        else {
            throw ConfigError(variable: "S3_ENDPOINT", reason: "must be an http(s) URL, got '\(endpoint)'")
        }
        self.init(
            endpoint: endpoint,
            region: reader.string("S3_REGION") ?? "us-east-1",
            bucket: bucket,
            accessKeyID: try required("S3_ACCESS_KEY_ID"),
            secretAccessKey: try required("S3_SECRET_ACCESS_KEY"),
            publicURL: reader.string("S3_PUBLIC_URL"),
            pathStyle: try reader.boolean("S3_PATH_STYLE") ?? true
        )
    }

    /// Base URL of the bucket's objects for requests to the storage.
    public var bucketURL: String {
        if pathStyle { return "\(endpoint)/\(bucket)" }
        guard let components = URLComponents(string: endpoint), let host = components.host else {
            return "\(endpoint)/\(bucket)"
        }
        let port = components.port.map { ":\($0)" } ?? ""
        return "\(components.scheme ?? "https")://\(bucket).\(host)\(port)"
    }

    /// The URL of the object `key` for requests to the storage.
    public func objectURL(key: String) -> String {
        bucketURL + "/" + SigV4Signer.encodePath(key)
    }

    /// Base URL clients load objects from: ``publicURL``, or the bucket's own URL.
    public var publicBaseURL: String {
        guard let publicURL else { return bucketURL }
        return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
    }
}
