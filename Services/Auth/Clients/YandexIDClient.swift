import Foundation
import Logging
import Shared

/// ``YandexIdentityProvider`` over Yandex's HTTP API, sent with the libcurl client (TLS verified).
public struct YandexIDClient: YandexIdentityProvider {
    let settings: YandexSettings
    let http: CurlHTTPClient

    public init(settings: YandexSettings, http: CurlHTTPClient) {
        self.settings = settings
        self.http = http
    }

    public func user(accessToken: String, logger: Logger) async throws -> YandexUser {
        let response = try await send(
            OutboundRequest(
                method: "GET",
                url: settings.loginURL + "/info?format=json",
                headers: [("Authorization", "OAuth \(accessToken)"), ("Accept", "application/json")]
            ),
            logger: logger
        )
        switch response.status {
        case 200:
            guard let user = try? JSONDecoder().decode(YandexUser.self, from: Data(response.body)), !user.id.isEmpty
            else {
                logger.warning("yandex.info_unreadable")
                throw APIError.unavailable("Yandex ID")
            }
            return user
        case 401, 403:
            throw YandexError.tokenRejected
        default:
            logger.warning("yandex.info_failed", metadata: ["status": "\(response.status)"])
            throw APIError.unavailable("Yandex ID")
        }
    }

    public func accessToken(code: String, verifier: String, logger: Logger) async throws -> String {
        var form = [("grant_type", "authorization_code"), ("code", code), ("code_verifier", verifier)]
        if let redirectURI = settings.redirectURI { form.append(("redirect_uri", redirectURI)) }
        let credentials = Data("\(settings.clientID):\(settings.clientSecret)".utf8).base64EncodedString()
        let response = try await send(
            OutboundRequest(
                method: "POST",
                url: settings.oauthURL + "/token",
                headers: [
                    ("Authorization", "Basic \(credentials)"),
                    ("Content-Type", "application/x-www-form-urlencoded"),
                    ("Accept", "application/json"),
                ],
                body: Array(FormEncoding.encode(form).utf8)
            ),
            logger: logger
        )
        let answer = try? JSONDecoder().decode(TokenAnswer.self, from: Data(response.body))
        switch response.status {
        case 200:
            guard let token = answer?.accessToken, !token.isEmpty else {
                logger.warning("yandex.token_unreadable")
                throw APIError.unavailable("Yandex ID")
            }
            return token
        case 400 where ["invalid_grant", "bad_verification_code"].contains(answer?.error):
            throw YandexError.codeRejected
        default:
            // invalid_client and the like mean our own settings are wrong: an outage for the caller.
            logger.error(
                "yandex.token_failed",
                metadata: ["status": "\(response.status)", "error": "\(answer?.error ?? "-")"]
            )
            throw APIError.unavailable("Yandex ID")
        }
    }

    func send(_ request: OutboundRequest, logger: Logger) async throws -> OutboundResponse {
        do {
            return try await http.send(request)
        } catch let error as OutboundError {
            logger.warning("yandex.unreachable", metadata: ["error": "\(error)"])
            throw APIError.unavailable("Yandex ID")
        }
    }

    /// The fields of `/token`'s answer we read.
    struct TokenAnswer: Decodable {
        var accessToken: String?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case error
        }
    }
}
