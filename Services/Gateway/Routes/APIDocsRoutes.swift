import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Shared

/// The API contract and its viewers: `/openapi.json` and `/openapi.yaml` (with seed 001's aliases
/// `/swagger.json` and `/swagger.yaml`), `/asyncapi.yaml`, Swagger UI at `/docs` and ReDoc at `/redoc`.
///
/// The documents are revalidated by `ETag` (`If-None-Match` gets 304). The viewers' files come from
/// ``APIDocsAssets``; without them `/docs`, `/redoc` and their files answer 503 with a one-line hint,
/// and everything else works as before.
public struct APIDocsRoutes: Sendable {
    let contract: APIContract
    let assets: APIDocsAssets?
    /// Where the assets were looked for, for the hint.
    let assetsDirectory: String

    public init(contract: APIContract, assets: APIDocsAssets?, assetsDirectory: String) {
        self.contract = contract
        self.assets = assets
        self.assetsDirectory = assetsDirectory
    }

    public func addRoutes(to router: Router<MessengerRequestContext>) {
        for path in ["/openapi.json", "/swagger.json"] {
            router.get(RouterPath(path)) { request, _ in Self.serve(contract.openAPIJSON, to: request) }
        }
        for path in ["/openapi.yaml", "/swagger.yaml"] {
            router.get(RouterPath(path)) { request, _ in Self.serve(contract.openAPIYAML, to: request) }
        }
        router.get("/asyncapi.yaml") { request, _ in Self.serve(contract.asyncAPIYAML, to: request) }
        router.get("/docs") { request, _ in try page(Self.swaggerUIPage, request: request) }
        router.get("/redoc") { request, _ in try page(Self.redocPage, request: request) }
        router.get("/docs/assets/{file}") { request, context in
            let files = try viewerFiles()
            guard let name = context.parameters.get("file"), let file = files[name] ?? Self.ownFiles[name] else {
                throw APIError(.notFound, detail: "Not found")
            }
            return Self.serve(file, to: request)
        }
    }

    /// The two viewer pages, built (and their `ETag`s hashed) once.
    static let swaggerUIPage = APIDocument(
        bytes: Array(APIDocsPages.swaggerUI.utf8),
        contentType: "text/html; charset=utf-8"
    )
    static let redocPage = APIDocument(bytes: Array(APIDocsPages.redoc.utf8), contentType: "text/html; charset=utf-8")

    /// The files of the viewers' pages that are the gateway's own: Swagger UI's start script.
    static let ownFiles: [String: APIDocument] = [
        "swagger-init.js": APIDocument(
            bytes: Array(APIDocsPages.swaggerInit.utf8),
            contentType: "text/javascript; charset=utf-8"
        )
    ]

    /// The viewers' files.
    /// - Throws: ``APIError`` 503 with the hint when they are not installed.
    @discardableResult
    func viewerFiles() throws -> [String: APIDocument] {
        guard let assets else {
            throw APIError(
                .serviceUnavailable,
                detail: "API docs viewers are not installed: run `make api-docs` (looked in \(assetsDirectory))"
            )
        }
        return assets.files
    }

    /// A viewer page, under a policy that keeps everything on this origin but lets the viewers style
    /// their elements (both set inline styles) and run ReDoc's search worker.
    func page(_ page: APIDocument, request: Request) throws -> Response {
        try viewerFiles()
        var response = Self.serve(page, to: request)
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
            + "form-action 'self'"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return response
    }

    /// `document`, or 304 when the client's `If-None-Match` names its `ETag`.
    static func serve(_ document: APIDocument, to request: Request) -> Response {
        var headers = HTTPFields()
        headers[.eTag] = document.etag
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        if let tags = request.headers[.ifNoneMatch],
            tags == "*"
                || tags.split(separator: ",").contains(where: {
                    $0.trimmingCharacters(in: .whitespaces) == document.etag
                })
        {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = document.contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document.bytes)))
    }
}
