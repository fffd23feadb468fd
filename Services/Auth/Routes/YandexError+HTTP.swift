import HTTPTypes
import Shared

extension YandexError: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .notConfigured:
            APIError(
                .serviceUnavailable,
                detail: "Sign-in with Yandex ID is not configured on this server",
                russian: "Вход через Яндекс ID на этом сервере не настроен"
            )
        case .missingToken:
            .invalidField("Query parameter 'oauth_token' is required", russian: "Параметр 'oauth_token' обязателен")
        case .tokenRejected:
            APIError(
                .unauthorized,
                detail: "Yandex ID did not accept the OAuth token",
                russian: "Яндекс ID не принял OAuth-токен"
            )
        case .codeRejected:
            APIError(
                .badRequest,
                detail: "Yandex ID did not accept the authorization code; start the sign-in again",
                russian: "Яндекс ID не принял код авторизации; начните вход заново"
            )
        case .authorizationDenied(let code):
            APIError(
                .badRequest,
                detail: "Yandex ID sign-in was not authorized (\(code))",
                russian: "Вход через Яндекс ID не разрешён (\(code))"
            )
        case .invalidState:
            APIError(
                .badRequest,
                detail: "The sign-in state is invalid, expired, already used or from another browser; start again",
                russian: "Параметр state недействителен, истёк, уже использован или получен другим браузером"
            )
        case .missingCode:
            .invalidField("Query parameter 'code' is required", russian: "Параметр 'code' обязателен")
        case .alreadyRegistered:
            APIError(
                .conflict,
                detail: "This Yandex account is already registered",
                russian: "Этот аккаунт Яндекса уже зарегистрирован"
            )
        case .notRegistered:
            APIError(
                .notFound,
                detail: "No user is registered with this Yandex account",
                russian: "Пользователь с этим аккаунтом Яндекса не зарегистрирован"
            )
        case .missingEmail:
            .invalidField(
                "Yandex ID did not share an e-mail address; allow access to it and try again",
                russian: "Яндекс ID не передал адрес электронной почты; разрешите доступ к нему и повторите"
            )
        }
    }
}
