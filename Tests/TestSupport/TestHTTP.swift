import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A small HTTP client for end-to-end tests: what a real client sends and sees.
public struct TestHTTP: Sendable {
    /// An answer as a client sees it.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: Data

        /// The body as a JSON object.
        public var object: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        }

        /// The body as a JSON array of objects.
        public var array: [[String: Any]] {
            (try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] ?? []
        }

        /// `detail` of an error body.
        public var detail: String? { object["detail"] as? String }

        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public let baseURL: String

    public init(baseURL: String) {
        self.baseURL = baseURL
    }

    /// Sends a request; `json` is serialised with `JSONSerialization`, `raw` is sent as is.
    public func send(
        _ method: HTTPMethod,
        _ path: String,
        json: [String: any Sendable]? = nil,
        raw: String? = nil,
        token: String? = nil,
        headers: [(String, String)] = []
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: token) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        } else if let raw {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: raw))
        }
        return try await execute(request)
    }

    /// Sends `bytes` as the body, exactly as given, with `headers`.
    public func send(
        _ method: HTTPMethod,
        _ path: String,
        bytes: [UInt8],
        headers: [(String, String)]
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: bytes))
        return try await execute(request)
    }

    /// Posts `form` (a file upload) to `path`.
    public func upload(_ path: String, form: MultipartBody, token: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        if let token { request.headers.add(name: "Authorization", value: token) }
        request.headers.add(name: "Content-Type", value: form.contentType)
        request.body = .bytes(ByteBuffer(bytes: form.bytes))
        return try await execute(request)
    }

    func execute(_ request: HTTPClientRequest) async throws -> Answer {
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 32 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: Data(body.readableBytesView))
    }
}
