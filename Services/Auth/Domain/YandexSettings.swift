/// How Auth reaches Yandex ID as an OAuth client.
public struct YandexSettings: Sendable, Equatable {
    /// Base URL of the authorization server (`oauth.yandex.ru`).
    public var oauthURL: String
    /// Base URL of the user-information server (`login.yandex.ru`).
    public var loginURL: String
    public var clientID: String
    public var clientSecret: String
    /// The registered redirect URI; Yandex uses the application's default one when `nil`.
    public var redirectURI: String?

    public init(oauthURL: String, loginURL: String, clientID: String, clientSecret: String, redirectURI: String?) {
        self.oauthURL = Self.trimmed(oauthURL)
        self.loginURL = Self.trimmed(loginURL)
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.redirectURI = redirectURI
    }

    static func trimmed(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
