import HTTPTypes
import Shared

extension AuthError: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .emailTaken:
            APIError(
                .conflict,
                detail: "A user with this email already exists",
                russian: "Пользователь с таким email уже существует"
            )
        case .usernameTaken:
            APIError(.conflict, detail: "This username is already taken", russian: "Это имя пользователя уже занято")
        case .invalidCredentials:
            APIError(.unauthorized, detail: "Incorrect email or password", russian: "Неверный email или пароль")
        case .invalidEmail:
            .invalidField("Email address is not valid", russian: "Некорректный адрес электронной почты")
        case .invalidPassword(let bytes):
            .invalidField(
                "Password must be \(bytes.lowerBound)-\(bytes.upperBound) bytes long",
                russian: "Пароль должен быть длиной от \(bytes.lowerBound) до \(bytes.upperBound) байт"
            )
        case .invalidRefreshToken:
            APIError(
                .unauthorized,
                detail: "Refresh token is invalid or expired",
                russian: "Токен обновления недействителен или истёк"
            )
        }
    }
}
