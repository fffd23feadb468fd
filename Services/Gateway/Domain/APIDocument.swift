import Crypto
import Foundation
import Yams

/// A document of the API contract as the gateway serves it: its bytes, content type and `ETag`.
public struct APIDocument: Sendable {
    public let bytes: [UInt8]
    public let contentType: String
    /// A strong validator: the SHA-256 of the bytes, quoted.
    public let etag: String

    public init(bytes: [UInt8], contentType: String) {
        self.bytes = bytes
        self.contentType = contentType
        etag = "\"" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() + "\""
    }

    /// The same document as JSON: the YAML parsed with YAML 1.2's core schema (no timestamps, so a date
    /// in an example stays a string) and written with sorted keys, so its bytes and `ETag` are stable.
    /// - Throws: ``APIDocumentError`` when the YAML does not parse into JSON values.
    public static func json(fromYAML yaml: [UInt8]) throws -> APIDocument {
        let text = String(decoding: yaml, as: UTF8.self)
        let resolver = Resolver.default.removing(.timestamp)
        guard let tree = try Yams.load(yaml: text, resolver), JSONSerialization.isValidJSONObject(tree) else {
            throw APIDocumentError("the YAML document is not a JSON object")
        }
        let data = try JSONSerialization.data(withJSONObject: tree, options: [.sortedKeys, .withoutEscapingSlashes])
        return APIDocument(bytes: Array(data), contentType: "application/json")
    }
}

/// Why a document of the API contract cannot be served.
public struct APIDocumentError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
