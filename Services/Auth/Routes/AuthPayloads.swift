import Foundation

/// Body of `POST /auth/register/` (seed function 4).
struct RegisterInput: Decodable {
    var username: String
    var email: String
    var password: String
    var description: String?
    var status: String?
}

/// Body of `POST /auth/login/` (seed function 6); `client_fingerprint` is accepted and ignored.
struct LoginInput: Decodable {
    var email: String
    var password: String
}

/// Body of `POST /auth/refresh/`.
struct RefreshInput: Decodable {
    var refreshToken: String

    enum CodingKeys: String, CodingKey {
        case refreshToken = "refresh_token"
    }
}

/// The seed's `{"token", "type": "Bearer"}`, plus the refresh token and the access token's lifetime.
struct TokenOutput: Encodable {
    var token: String
    var type = "Bearer"
    var refreshToken: String
    var expiresIn: Int
    /// Set by the Yandex callback: whether this sign-in created the user.
    var newUser: Bool?

    enum CodingKeys: String, CodingKey {
        case token, type
        case refreshToken = "refresh_token"
        case expiresIn = "expires_in"
        case newUser = "new_user"
    }
}

/// `{"yandex_url": ...}`, seed function 3.
struct YandexURLOutput: Encodable {
    var yandexURL: String

    enum CodingKeys: String, CodingKey {
        case yandexURL = "yandex_url"
    }
}

/// `{"detail": "success"}`, as the seed answers registration.
struct SuccessOutput: Encodable {
    var detail = "success"
}
