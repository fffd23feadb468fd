import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Shared

/// Sign-up and sign-in with Yandex ID under `/auth/`.
///
/// - The seed's token flow: the client obtains a Yandex OAuth token itself and passes it as `oauth_token`
///   to `yandex_oauth_register` or `login_yandex`.
/// - The authorization-code flow: `yandex_oauth_url` returns Yandex's authorize link with a sealed `state`
///   and a PKCE S256 challenge and sets a cookie binding the sign-in to this browser; Yandex redirects to
///   `yandex_callback`, which exchanges the code with the client secret (never seen by the browser) and
///   signs the user in, creating them on first use.
///
/// Without Yandex credentials every route answers 503.
public struct YandexRoutes: Sendable {
    /// The cookie that binds a started sign-in to the browser.
    static var bindingCookie: String { "yandex_oauth_binding" }
    /// Longest OAuth token or code passed on to Yandex.
    static var maxCredentialLength: Int { 2048 }

    let settings: YandexSettings?
    let provider: (any YandexIdentityProvider)?
    let stateSealer: YandexStateSealer
    let states: PostgresOAuthStateStore
    let accounts: PostgresAccountStore
    let registration: UserRegistration
    let sessionIssuer: SessionIssuer
    /// Whether cookies get the `Secure` attribute (the public URL is https).
    let secureCookies: Bool

    public init(
        settings: YandexSettings?,
        provider: (any YandexIdentityProvider)?,
        stateSealer: YandexStateSealer,
        states: PostgresOAuthStateStore,
        accounts: PostgresAccountStore,
        profiles: any ProfileRegistrar,
        sessionIssuer: SessionIssuer,
        secureCookies: Bool
    ) {
        self.settings = settings
        self.provider = provider
        self.stateSealer = stateSealer
        self.states = states
        self.accounts = accounts
        self.registration = UserRegistration(accounts: accounts, profiles: profiles)
        self.sessionIssuer = sessionIssuer
        self.secureCookies = secureCookies
    }

    public func addRoutes(to group: RouterGroup<MessengerRequestContext>) {
        group.get("yandex_oauth_url", use: authorizationURL)
        group.post("yandex_oauth_register", use: registerWithToken)
        group.post("login_yandex", use: loginWithToken)
        group.get("yandex_callback", use: callback)
    }

    /// Seed function 3: `{"yandex_url": ...}`, Yandex's authorize link for the code flow with PKCE.
    @Sendable func authorizationURL(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        let (settings, _) = try configured()
        let started = try stateSealer.begin()
        var parameters = [("response_type", "code"), ("client_id", settings.clientID)]
        if let redirectURI = settings.redirectURI { parameters.append(("redirect_uri", redirectURI)) }
        parameters += [
            ("state", started.state),
            ("code_challenge", PKCE.challenge(for: started.contents.verifier)),
            ("code_challenge_method", "S256"),
        ]
        let url = settings.oauthURL + "/authorize?" + FormEncoding.encode(parameters)
        var response = try YandexURLOutput(yandexURL: url).response()
        response.headers[.setCookie] = cookie(value: started.binding, maxAge: Int(stateSealer.lifetime))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// Seed function 5: creates the user a Yandex OAuth token belongs to; `{"detail": "success"}`.
    @Sendable func registerWithToken(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        let (_, provider) = try configured()
        let user = try await provider.user(accessToken: try oauthToken(request), logger: context.logger)
        // Fail fast, before Users is asked for a profile; the unique index still decides races.
        guard try await accounts.account(yandexID: user.id, logger: context.logger) == nil else {
            throw YandexError.alreadyRegistered
        }
        try await signUp(user, context: context)
        return try SuccessOutput().response()
    }

    /// Sign-in with a Yandex OAuth token: the seed's `{"token", "type": "Bearer"}`, for a user found by
    /// their Yandex id.
    @Sendable func loginWithToken(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        let (_, provider) = try configured()
        let user = try await provider.user(accessToken: try oauthToken(request), logger: context.logger)
        guard let account = try await accounts.account(yandexID: user.id, logger: context.logger) else {
            throw YandexError.notRegistered
        }
        var response = try await sessionIssuer.start(for: account.id, logger: context.logger).response()
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// Where Yandex sends the browser back: checks the state and its browser, exchanges the code and signs
    /// the user in, creating them on first sign-in (`new_user`).
    @Sendable func callback(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        let (_, provider) = try configured()
        let query = request.uri.queryParameters
        if let error = query.get("error") {
            throw YandexError.authorizationDenied(String(error.prefix(64).filter { $0.isLetter || $0 == "_" }))
        }
        guard let state = query.get("state") else { throw YandexError.invalidState }
        let contents = try stateSealer.open(state, binding: Self.cookie(named: Self.bindingCookie, in: request))
        guard let code = query.get("code"), !code.isEmpty, code.utf8.count <= Self.maxCredentialLength else {
            throw YandexError.missingCode
        }
        guard
            try await states.spend(
                id: contents.id,
                expiresAt: Date(timeIntervalSince1970: contents.expiresAt),
                logger: context.logger
            )
        else { throw YandexError.invalidState }
        let token = try await provider.accessToken(code: code, verifier: contents.verifier, logger: context.logger)
        let user = try await provider.user(accessToken: token, logger: context.logger)
        var output: TokenOutput
        if let account = try await accounts.account(yandexID: user.id, logger: context.logger) {
            output = try await sessionIssuer.start(for: account.id, logger: context.logger)
            output.newUser = false
        } else {
            let id = try await signUp(user, context: context)
            output = try await sessionIssuer.start(for: id, logger: context.logger)
            output.newUser = true
        }
        var response = try output.response()
        response.headers[.setCookie] = cookie(value: "", maxAge: 0)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// Creates the user for a Yandex account: username from the login (made unique), e-mail from
    /// `default_email`, avatar from `default_avatar_id`.
    /// - Throws: ``YandexError/alreadyRegistered`` when the account's Yandex id is taken (unique index).
    @discardableResult
    func signUp(_ user: YandexUser, context: MessengerRequestContext) async throws -> Int64 {
        guard let email = user.defaultEmail.map(CredentialRules.normalized(email:)), !email.isEmpty else {
            throw YandexError.missingEmail
        }
        try CredentialRules.validate(email: email)
        return try await registration.register(
            .init(
                email: email,
                yandexID: user.id,
                usernames: YandexUsernames.candidates(for: user.login),
                avatarURL: user.avatarURL
            ),
            requestID: context.requestID,
            logger: context.logger
        )
    }

    func configured() throws -> (YandexSettings, any YandexIdentityProvider) {
        guard let settings, let provider else { throw YandexError.notConfigured }
        return (settings, provider)
    }

    func oauthToken(_ request: Request) throws -> String {
        guard let token = request.uri.queryParameters.get("oauth_token"), !token.isEmpty else {
            throw YandexError.missingToken
        }
        guard token.utf8.count <= Self.maxCredentialLength, token.allSatisfy({ $0.isASCII && !$0.isWhitespace })
        else { throw YandexError.tokenRejected }
        return token
    }

    func cookie(value: String, maxAge: Int) -> String {
        "\(Self.bindingCookie)=\(value); Path=/auth/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax"
            + (secureCookies ? "; Secure" : "")
    }

    /// The value of the cookie `name` the request carries.
    static func cookie(named name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }
}
