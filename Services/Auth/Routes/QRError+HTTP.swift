import HTTPTypes
import Shared

extension QRError: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .invalidClientID:
            .invalidField(
                message,
                russian: "client_id должен содержать от 16 до 128 символов: A-Z, a-z, 0-9, '-' и '_'"
            )
        case .invalidGrant:
            APIError(
                .unauthorized,
                detail: message,
                russian: "auth_token недействителен, истёк, уже использован или выдан для другого client_id"
            )
        case .invalidTicket, .expiredTicket, .ticketReplayed, .ticketForAnotherClient:
            APIError(.unauthorized, detail: message)
        case .invalidCodeChallenge, .hubAlreadyOpen:
            .invalidField(message)
        case .invalidCodeVerifier:
            .invalidField(
                message,
                russian: "code_verifier должен содержать от 43 до 128 символов: A-Z, a-z, 0-9, '-', '.', '_' и '~'"
            )
        case .codeVerifierMismatch:
            // The auth_token is genuine; the caller has not proven it is the browser that opened the hub. 403, not
            // 401: another credential would not help, and the grant stays redeemable by that browser.
            APIError(
                .forbidden,
                detail: message,
                russian: "code_verifier отсутствует или не соответствует code_challenge этого входа"
            )
        case .hubNotOpen:
            APIError(.notFound, detail: message, russian: "Для этого client_id нет ожидающего входа")
        }
    }
}
