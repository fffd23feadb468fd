import Hummingbird

/// An error the API answers with: an HTTP status and a `{"detail": ...}` body, as the seed's FastAPI services do.
///
/// `detail` is English; `russianDetail`, when present, is used for callers whose `Accept-Language` prefers Russian.
public struct APIError: Error, Sendable, Equatable {
    /// The HTTP status of the answer.
    public var status: HTTPResponse.Status
    /// The English message.
    public var detail: String
    /// The Russian message, if this error has one.
    public var russianDetail: String?

    /// Creates an error with a status and a message in English and, optionally, in Russian.
    public init(_ status: HTTPResponse.Status, detail: String, russian: String? = nil) {
        self.status = status
        self.detail = detail
        self.russianDetail = russian
    }

    /// The message in `language`, falling back to English.
    public func detail(in language: Language) -> String {
        switch language {
        case .english: detail
        case .russian: russianDetail ?? detail
        }
    }
}

extension APIError {
    /// 401 for a missing, malformed, forged or expired credential.
    public static let unauthorized = APIError(
        .unauthorized,
        detail: "Not authenticated",
        russian: "Требуется авторизация"
    )

    /// 503 for a dependency (another service, the database) that cannot be reached.
    public static func unavailable(_ dependency: String) -> APIError {
        APIError(
            .serviceUnavailable,
            detail: "\(dependency) is unavailable, try again later",
            russian: "Сервис \(dependency) недоступен, повторите попытку позже"
        )
    }

    /// 422 for a field that breaks a rule.
    public static func invalidField(_ detail: String, russian: String? = nil) -> APIError {
        APIError(.unprocessableContent, detail: detail, russian: russian)
    }

    /// 422 for text with a NUL or another control character that ``TextSafety`` refuses.
    public static func controlCharacters(inField field: String) -> APIError {
        invalidField(
            "Field '\(field)' must not contain control characters",
            russian: "Поле '\(field)' не должно содержать управляющих символов"
        )
    }

    /// 422 for a query parameter with a character ``TextSafety`` refuses.
    public static func controlCharacters(inQueryParameter name: String) -> APIError {
        invalidField(
            "Query parameter '\(name)' must not contain control characters",
            russian: "Параметр '\(name)' не должен содержать управляющих символов"
        )
    }
}
