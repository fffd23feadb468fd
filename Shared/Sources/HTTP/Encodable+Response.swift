import Foundation
import Hummingbird
import NIOCore

extension Encodable {
    /// This value as a JSON response with `status`.
    public func response(status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONEncoder.api.encode(self)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
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
