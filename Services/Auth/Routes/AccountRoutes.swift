import Foundation
import Hummingbird
import Shared

/// Registration, password login, refresh and logout under `/auth/`.
public struct AccountRoutes: Sendable {
    let accounts: PostgresAccountStore
    let sessions: PostgresSessionStore
    let profiles: any ProfileRegistrar
    let hasher: PasswordHasher
    let sessionIssuer: SessionIssuer

    public init(
        accounts: PostgresAccountStore,
        sessions: PostgresSessionStore,
        profiles: any ProfileRegistrar,
        hasher: PasswordHasher,
        sessionIssuer: SessionIssuer
    ) {
        self.accounts = accounts
        self.sessions = sessions
        self.profiles = profiles
        self.hasher = hasher
        self.sessionIssuer = sessionIssuer
    }

    public func addRoutes(to group: RouterGroup<MessengerRequestContext>) {
        group.post("register", use: register)
        group.post("login", use: login)
        group.post("refresh", use: refresh)
        group.group(context: AuthenticatedRequestContext.self).post("logout", use: logout)
    }

    /// Seed function 4. Creates the credentials here and the profile in Users (``UserRegistration``):
    /// if Users refuses or is down, nothing is kept.
    @Sendable func register(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        var input = try await request.decodeJSON(as: RegisterInput.self)
        input.email = CredentialRules.normalized(email: input.email)
        let description = input.description ?? ""
        let status = input.status ?? ""
        try ProfileRules.validate(username: input.username)
        try CredentialRules.validate(email: input.email)
        try CredentialRules.validate(password: input.password)
        try ProfileRules.validate(description: description, status: status)
        // Fail fast before the deliberately slow hash; the unique index still decides races.
        guard try await !accounts.isEmailTaken(input.email, logger: context.logger) else { throw AuthError.emailTaken }
        let hash = try await hasher.hash(input.password)
        try await UserRegistration(accounts: accounts, profiles: profiles).register(
            .init(
                email: input.email,
                passwordHash: hash,
                usernames: [input.username],
                description: description,
                status: status
            ),
            requestID: context.requestID,
            logger: context.logger
        )
        return try SuccessOutput().response()
    }

    /// Seed function 6: e-mail and password to a token. Unknown e-mail and wrong password get the same 401.
    @Sendable func login(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        var input = try await request.decodeJSON(as: LoginInput.self)
        input.email = CredentialRules.normalized(email: input.email)
        guard input.password.utf8.count <= 1024, input.email.count <= CredentialRules.maxEmailLength else {
            throw AuthError.invalidCredentials
        }
        let account = try await accounts.account(email: input.email, logger: context.logger)
        let matches = try await hasher.verify(input.password, against: account?.passwordHash)
        guard let account, matches else { throw AuthError.invalidCredentials }
        return try await sessionIssuer.start(for: account.id, logger: context.logger).response()
    }

    /// Exchanges a refresh token for new tokens; the old refresh token stops working.
    @Sendable func refresh(_ request: Request, context: MessengerRequestContext) async throws -> Response {
        let input = try await request.decodeJSON(as: RefreshInput.self)
        return try await sessionIssuer.refresh(input.refreshToken, logger: context.logger).response()
    }

    /// Ends the caller's session: its refresh token stops working and the gateway refuses its access tokens.
    @Sendable func logout(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        if let sessionID = UUID(uuidString: context.caller.sessionID) {
            try await sessions.revoke(id: sessionID, userID: context.caller.userID, logger: context.logger)
        }
        return try SuccessOutput().response()
    }
}
