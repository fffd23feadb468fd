import AsyncHTTPClient
import Auth
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import PrivateChat
import Shared
import TestSupport
import Testing
import Users

@testable import Gateway

/// The OpenAPI document against the routers that serve it, and against itself.
@Suite struct APIContractTests {
    /// One operation: a method and a path, compared without the trailing slash.
    struct Operation: Hashable, Comparable, CustomStringConvertible {
        var method: String
        var path: String

        init(_ method: String, _ path: String) {
            self.method = method.uppercased()
            self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        }

        var description: String { "\(method) \(path)" }

        static func < (lhs: Operation, rhs: Operation) -> Bool { lhs.description < rhs.description }
    }

    static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// The OpenAPI document as the gateway serves it at `/openapi.json`.
    static func document() throws -> [String: Any] {
        let contract = try APIContract.embedded()
        return try #require(try JSONSerialization.jsonObject(with: Data(contract.openAPIJSON.bytes)) as? [String: Any])
    }

    /// Every operation the document names.
    static func documentedOperations() throws -> Set<Operation> {
        let paths = try #require(try document()["paths"] as? [String: [String: Any]])
        var operations: Set<Operation> = []
        for (path, item) in paths {
            for method in methods where item[method] != nil { operations.insert(Operation(method, path)) }
        }
        return operations
    }

    /// Every operation a client can reach through the gateway, read from the routers themselves: the
    /// gateway's own routes, and those of each service that the gateway forwards (``ProxyRoute``).
    static func servedOperations() async throws -> Set<Operation> {
        // Routers are only built, never run: the client is never connected.
        let database = PostgresClient(
            configuration: .init(unixSocketPath: "/nonexistent", username: "x", password: nil, database: nil)
        )
        let transport = ServiceTransport(services: [:], internalToken: testInternalToken, httpClient: HTTPClient.shared)
        let auth = ServiceClient(.auth, transport: transport)
        let gateway = GatewayService.makeRouter(
            transport: transport,
            verifier: TokenVerifier(
                source: AuthServiceKeySource(client: auth),
                revocations: RevocationList(tokenLifetime: 900)
            ),
            maxBodySize: 1024,
            docs: APIDocsRoutes(contract: try APIContract.embedded(), assets: nil, assetsDirectory: "")
        )
        let keys = Secrets.AuthKeys(
            signingKey: try SigningKey(base64Seed: Data(repeating: 1, count: 32).base64EncodedString()),
            qrTicketKey: Data(repeating: 2, count: 32).base64EncodedString(),
            oauthStateKey: Data(repeating: 3, count: 32).base64EncodedString()
        )
        let users = ServiceClient(.users, transport: transport)
        let authDependencies = try await AuthDependencies(
            config: MessengerConfig(),
            keys: keys,
            database: database,
            profiles: UsersServiceRegistrar(client: users),
            directory: UsersServiceDirectory(client: users)
        )
        let services: [Router<MessengerRequestContext>] = [
            AuthService.makeRouter(
                authDependencies,
                internalToken: testInternalToken,
                database: nil,
                logger: Logger(label: "t")
            ).router,
            UsersService.makeRouter(
                store: PostgresProfileStore(client: database, media: MediaLinks(baseURL: "http://media.test")),
                blobs: LocalBlobStore(directory: "/nonexistent"),
                media: MediaLinks(baseURL: "http://media.test"),
                contacts: ChatServiceContacts(client: ServiceClient(.chat, transport: transport)),
                avatarMaxSize: 1024,
                internalToken: testInternalToken,
                database: nil
            ),
            PrivateChatService.makeRouter(
                store: PostgresChatStore(client: database),
                directory: UsersServiceDirectory(client: users),
                internalToken: testInternalToken,
                database: nil
            ),
        ]
        var operations = Set(gateway.routes.map { Operation($0.method.rawValue, $0.path.description) })
        for router in services {
            for route in router.routes where ProxyRoute.match(path: route.path.description) != nil {
                operations.insert(Operation(route.method.rawValue, route.path.description))
            }
        }
        // The QR hub's WebSocket is the AsyncAPI document's (see asyncapiDescribesTheQRHub).
        operations.remove(Operation("GET", WebSocketPaths.qrHub))
        return operations
    }

    @Test func everyServedRouteIsDocumentedAndEveryDocumentedRouteIsServed() async throws {
        let served = try await Self.servedOperations()
        let documented = try Self.documentedOperations()
        // Local avatars are files below /media/, served by a middleware rather than a route.
        let media = documented.filter { $0.path.hasPrefix(MediaFileMiddleware<MessengerRequestContext>.basePath + "/") }
        #expect(!media.isEmpty, "the document names no /media/ path")
        let undocumented = served.subtracting(documented).sorted()
        let unserved = documented.subtracting(served).subtracting(media).sorted()
        #expect(undocumented.isEmpty, "served but not in openapi.yaml: \(undocumented)")
        #expect(unserved.isEmpty, "in openapi.yaml but served by no router: \(unserved)")
        #expect(served.count > 20)
    }

    @Test func theDocumentIsWellFormed() throws {
        let document = try Self.document()
        #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var operationIDs: [String] = []
        for (path, item) in paths {
            for method in Self.methods {
                guard let operation = item[method] as? [String: Any] else { continue }
                let name = "\(method.uppercased()) \(path)"
                let id = operation["operationId"] as? String
                #expect(id?.isEmpty == false, "\(name) has no operationId")
                operationIDs.append(id ?? "")
                let responses = try #require(operation["responses"] as? [String: Any], "\(name) has no responses")
                #expect(responses.keys.contains { $0.hasPrefix("4") }, "\(name) has no 4xx answer")
                #expect(
                    responses.keys.contains { $0.hasPrefix("2") || $0.hasPrefix("3") },
                    "\(name) has no success answer"
                )
                #expect((operation["tags"] as? [String])?.isEmpty == false, "\(name) has no tag")
            }
        }
        #expect(Set(operationIDs).count == operationIDs.count, "operationIds repeat")
        let unresolved = Self.references(in: document).filter { Self.resolve($0, in: document) == nil }
        #expect(unresolved.isEmpty, "unresolved $refs: \(unresolved)")
    }

    @Test func asyncapiDescribesTheQRHub() throws {
        let contract = try APIContract.embedded()
        let json = try APIDocument.json(fromYAML: contract.asyncAPIYAML.bytes)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String: Any])
        #expect((document["asyncapi"] as? String)?.hasPrefix("3.") == true)
        let channels = try #require(document["channels"] as? [String: [String: Any]])
        let addresses = channels.values.compactMap { $0["address"] as? String }
        #expect(addresses.contains { $0.hasPrefix(WebSocketPaths.qrHub) }, "\(addresses)")
        let unresolved = Self.references(in: document).filter { Self.resolve($0, in: document) == nil }
        #expect(unresolved.isEmpty, "unresolved $refs: \(unresolved)")
    }

    /// Every `$ref` in `value`.
    static func references(in value: Any) -> [String] {
        switch value {
        case let object as [String: Any]:
            (object["$ref"] as? String).map { [$0] } ?? [] + object.values.flatMap { references(in: $0) }
        case let array as [Any]:
            array.flatMap { references(in: $0) }
        default:
            []
        }
    }

    /// What a local reference (`#/components/...`, JSON Pointer) points at in `document`.
    static func resolve(_ reference: String, in document: [String: Any]) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any = document
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let object = node as? [String: Any], let next = object[key] {
                node = next
            } else if let array = node as? [Any], let index = Int(key), array.indices.contains(index) {
                node = array[index]
            } else {
                return nil
            }
        }
        return node
    }
}
