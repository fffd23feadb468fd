import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// Decodes the JSON body as `type`, answering bad input with a clear ``APIError``.
    ///
    /// - Throws: 413 when the body exceeds `maxSize`, 400 when it is not JSON, 422 naming the field
    ///   that is missing or has the wrong type.
    public func decodeJSON<Value: Decodable>(as type: Value.Type, maxSize: Int = 1 << 20) async throws -> Value {
        var request = self
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maxSize)
        } catch {
            throw APIError(.contentTooLarge, detail: "Request body is too large", russian: "Слишком большой запрос")
        }
        return try JSONBody.decode(type, from: Data(buffer.readableBytesView))
    }
}

/// Decoding of JSON bodies with errors that name the offending field.
public enum JSONBody {
    /// Decodes `data` as `type`.
    /// - Throws: ``APIError`` 400 for malformed JSON, 422 for a missing or mistyped field or for text
    ///   with a control character other than tab and newline (``TextSafety``, the one rule for all text).
    public static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        guard !data.isEmpty else {
            throw APIError(
                .badRequest,
                detail: "Request body must be a JSON object",
                russian: "Тело запроса должно быть JSON-объектом"
            )
        }
        if TextSafety.jsonMayHoldForbidden(data), let field = TextSafety.firstForbiddenField(inJSON: data) {
            throw APIError.controlCharacters(inField: field.isEmpty ? "body" : field)
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw apiError(for: error)
        }
    }

    static func apiError(for error: DecodingError) -> APIError {
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .invalidField("Field '\(field)' is required", russian: "Поле '\(field)' обязательно")
        case .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return .invalidField("Field '\(field)' is required", russian: "Поле '\(field)' обязательно")
        case .typeMismatch(_, let context):
            let field = path(context.codingPath)
            if field.isEmpty {
                return APIError(
                    .badRequest,
                    detail: "Request body must be a JSON object",
                    russian: "Тело запроса должно быть JSON-объектом"
                )
            }
            return .invalidField("Field '\(field)' has the wrong type", russian: "Поле '\(field)' имеет неверный тип")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            let field = path(context.codingPath)
            return .invalidField("Field '\(field)' is invalid", russian: "Поле '\(field)' заполнено неверно")
        default:
            return APIError(
                .badRequest,
                detail: "Request body is not valid JSON",
                russian: "Тело запроса не является корректным JSON"
            )
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}
