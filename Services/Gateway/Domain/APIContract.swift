import Foundation

/// The API contract the gateway serves: the OpenAPI document (written by hand in YAML,
/// `Services/Gateway/Resources/openapi.yaml`, served as YAML and as JSON) and the AsyncAPI document of
/// the WebSocket protocols (`asyncapi.yaml`). Both are compiled into the binary.
public struct APIContract: Sendable {
    public let openAPIYAML: APIDocument
    public let openAPIJSON: APIDocument
    public let asyncAPIYAML: APIDocument

    /// The documents compiled into this binary.
    /// - Throws: ``APIDocumentError`` when the OpenAPI YAML does not parse (a test keeps that from shipping).
    public static func embedded() throws -> APIContract {
        try APIContract(openAPI: PackageResources.openapi_yaml, asyncAPI: PackageResources.asyncapi_yaml)
    }

    public init(openAPI: [UInt8], asyncAPI: [UInt8]) throws {
        openAPIYAML = APIDocument(bytes: openAPI, contentType: "application/yaml")
        openAPIJSON = try APIDocument.json(fromYAML: openAPI)
        asyncAPIYAML = APIDocument(bytes: asyncAPI, contentType: "application/yaml")
    }
}
