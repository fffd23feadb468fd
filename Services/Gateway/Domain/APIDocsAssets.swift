import Foundation

/// The Swagger UI and ReDoc files the gateway serves under `/docs/assets/` for its `/docs` and `/redoc`
/// pages, read once from the directory `make api-docs` unpacks them into (`API_DOCS_ASSETS`). Only
/// these named files are served: no path from a request reaches the file system.
public struct APIDocsAssets: Sendable {
    /// A file, by the name it is served under.
    public let files: [String: APIDocument]

    /// The files: the name they are served under, where they are below the directory, their type.
    static let layout: [(name: String, path: String, contentType: String)] = [
        ("swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
        ("swagger-ui.css", "swagger-ui/swagger-ui.css", "text/css; charset=utf-8"),
        ("favicon-32x32.png", "swagger-ui/favicon-32x32.png", "image/png"),
        ("redoc.standalone.js", "redoc/redoc.standalone.js", "text/javascript; charset=utf-8"),
    ]

    /// The files in `directory`, or `nil` when any is missing (the pages then answer 503).
    public static func load(from directory: String) -> APIDocsAssets? {
        var files: [String: APIDocument] = [:]
        for file in layout {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(file.path)
            guard let data = try? Data(contentsOf: url) else { return nil }
            files[file.name] = APIDocument(bytes: Array(data), contentType: file.contentType)
        }
        return APIDocsAssets(files: files)
    }
}
