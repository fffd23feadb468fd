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
        }
    }
}
