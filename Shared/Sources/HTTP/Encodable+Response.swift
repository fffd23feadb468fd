import Foundation
import Hummingbird
import NIOCore

extension Encodable {
    /// This value as a JSON response with `status`.
    public func response(status: HTTPResponse.Status = .ok) throws -> Response {
        .json(ByteBuffer(bytes: try JSONEncoder.api.encode(self)), status: status)
    }
}

extension Response {
    /// A response whose body is the JSON text `body` (`application/json; charset=utf-8`).
    public static func json(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}

extension JSONEncoder {
    /// The encoder of API answers: URLs keep their slashes (`"http://..."`, not `"http:\/\/..."`).
    public static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return encoder
    }
}
