import Foundation
import Gateway
import NIOHTTP1
import Shared
import TestSupport
import Testing

extension EndToEnd {
    /// The API contract as the gateway serves it, and its two viewers.
    @Suite struct APIDocsTests {
        /// A directory laid out as `make api-docs` leaves it, with stand-in files.
        static func fakeAssets() throws -> String {
            let root = NSTemporaryDirectory() + "api-docs-\(UUID().uuidString)"
            for (path, text) in [
                ("swagger-ui/swagger-ui-bundle.js", "window.SwaggerUIBundle = () => {};"),
                ("swagger-ui/swagger-ui.css", "body {}"),
                ("swagger-ui/favicon-32x32.png", "png"),
                ("redoc/redoc.standalone.js", "/* redoc */"),
            ] {
                let url = URL(fileURLWithPath: root).appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                try Data(text.utf8).write(to: url)
            }
            return root
        }

        static func using(assets directory: String) -> (inout MessengerConfig) -> Void {
            { config in config.apiDocsAssets = directory }
        }

        @Test func theDocumentIsServedAsJSONAndYAMLWithETags() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let json = try await api.send(.GET, "/openapi.json")
                #expect(json.status == 200)
                #expect(json.headers["Content-Type"].first == "application/json")
                #expect(json.object["openapi"] as? String == "3.1.0")
                let etag = try #require(json.headers["ETag"].first)
                #expect(etag.hasPrefix("\"") && etag.count == 66)
                let again = try await api.send(.GET, "/openapi.json", headers: [("If-None-Match", etag)])
                #expect(again.status == 304)
                #expect(again.body.isEmpty)
                #expect(
                    try await api.send(.GET, "/openapi.json", headers: [("If-None-Match", "\"other\"")]).status == 200
                )
                #expect(try await api.send(.GET, "/swagger.json").body == json.body)

                let yaml = try await api.send(.GET, "/openapi.yaml")
                #expect(yaml.status == 200)
                #expect(yaml.headers["Content-Type"].first == "application/yaml")
                #expect(yaml.headers["ETag"].first != etag)
                // The YAML is the same document: converted as the gateway converts it, it is the JSON.
                #expect(try APIDocument.json(fromYAML: Array(yaml.body)).bytes == Array(json.body))
                #expect(try await api.send(.GET, "/swagger.yaml").body == yaml.body)

                let asyncAPI = try await api.send(.GET, "/asyncapi.yaml")
                #expect(asyncAPI.status == 200)
                #expect(asyncAPI.text.hasPrefix("asyncapi: 3.") || asyncAPI.text.contains("\nasyncapi: 3."))
            }
        }

        @Test func theViewersAreServedFromThisOriginOnly() async throws {
            let assets = try Self.fakeAssets()
            defer { try? FileManager.default.removeItem(atPath: assets) }
            try await withMessenger(configure: Self.using(assets: assets)) { messenger in
                let api = messenger.gateway
                for (path, script) in [
                    ("/docs", "/docs/assets/swagger-ui-bundle.js"), ("/redoc", "/docs/assets/redoc.standalone.js"),
                ] {
                    let page = try await api.send(.GET, path)
                    #expect(page.status == 200, "\(path)")
                    #expect(page.headers["Content-Type"].first == "text/html; charset=utf-8")
                    #expect(page.text.contains("src=\"\(script)\""), "\(path)")
                    #expect(
                        !page.text.contains("http://") && !page.text.contains("https://"),
                        "\(path) names another origin"
                    )
                    let policy = try #require(page.headers["Content-Security-Policy"].first)
                    #expect(policy.hasPrefix("default-src 'self';"))
                    #expect(!policy.contains("script-src"), "scripts stay on default-src 'self'")
                }
                let bundle = try await api.send(.GET, "/docs/assets/swagger-ui-bundle.js")
                #expect(bundle.status == 200)
                #expect(bundle.text == "window.SwaggerUIBundle = () => {};")
                #expect(bundle.headers["Content-Type"].first == "text/javascript; charset=utf-8")
                let start = try await api.send(.GET, "/docs/assets/swagger-init.js")
                #expect(start.text.contains("url: \"/openapi.json\""))
                #expect(try await api.send(.GET, "/docs/assets/redoc.standalone.js").status == 200)
                for unknown in [
                    "/docs/assets/nope.js", "/docs/assets/..%2Fswagger-ui%2Fswagger-ui.css", "/docs/assets/",
                ] {
                    let answer = try await api.send(.GET, unknown)
                    #expect(answer.status == 404, "\(unknown)")
                }
            }
        }

        @Test func withoutTheViewersFilesOnlyTheirPagesAre503() async throws {
            try await withMessenger(configure: Self.using(assets: "/nonexistent/api-docs")) { messenger in
                let api = messenger.gateway
                for path in ["/docs", "/redoc", "/docs/assets/swagger-ui-bundle.js"] {
                    let answer = try await api.send(.GET, path)
                    #expect(answer.status == 503, "\(path)")
                    #expect(answer.detail?.contains("make api-docs") == true, "\(path): \(answer.text)")
                }
                #expect(try await api.send(.GET, "/openapi.json").status == 200)
                #expect(try await api.send(.GET, "/health").status == 200)
            }
        }
    }
}
