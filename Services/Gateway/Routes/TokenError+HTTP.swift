import HTTPTypes
import Shared

extension TokenError: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .missing:
            APIError(.unauthorized, detail: "Not authenticated", russian: "Требуется авторизация")
        case .invalid:
            APIError(
                .unauthorized,
                detail: "Invalid or expired token",
                russian: "Недействительный или просроченный токен"
            )
        case .revoked:
            APIError(.unauthorized, detail: "Session has ended, log in again", russian: "Сеанс завершён, войдите снова")
        }
    }
}
