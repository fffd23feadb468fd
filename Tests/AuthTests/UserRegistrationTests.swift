import Foundation
import HTTPTypes
import Logging
import PostgresNIO
import Shared
import Testing
import Users

@testable import Auth

/// Registration in steps (account pending, profile in Users, account active), what a crash between the
/// steps leaves, and the sweep that undoes it.
@Suite struct UserRegistrationTests {
    static let logger = Logger(label: "registration-test")

    static func newUser(_ email: String = "alice@example.com", username: String = "alice") -> UserRegistration.NewUser {
        UserRegistration.NewUser(email: email, passwordHash: "$2b$04$x", usernames: [username])
    }

    /// What a crash right after the first step leaves: Alice's account, committed pending.
    static func pendingAlice(in app: AuthFixture) async throws -> (PostgresAccountStore, Int64) {
        let accounts = PostgresAccountStore(client: app.database)
        let id = try await accounts.createPending(
            email: "alice@example.com",
            passwordHash: "$2b$04$x",
            yandexID: nil,
            logger: logger
        )
        return (accounts, id)
    }

    /// Runs `body` with Auth's router and a registration over the same stores, Users being `registrar`.
    static func withRegistration(
        _ body: @escaping @Sendable (AuthFixture, UserRegistration, LocalUsersRegistrar) async throws -> Void
    ) async throws {
        try await withAuthApp { app in
            let users = LocalUsersRegistrar(
                store: PostgresProfileStore(client: app.database, media: MediaLinks(baseURL: "http://media.test"))
            )
            try await body(
                app,
                UserRegistration(accounts: PostgresAccountStore(client: app.database), profiles: users),
                users
            )
        }
    }

    @Test func aCrashAfterTheAccountStepLeavesNobodyWhoCanLogInAndTheSweepUndoesIt() async throws {
        try await Self.withRegistration { app, registration, _ in
            // The process died right after committing the pending account.
            let (accounts, id) = try await Self.pendingAlice(in: app)
            #expect(try await app.login(email: "alice@example.com", password: "correct horse").status == .unauthorized)
            #expect(try await accounts.account(email: "alice@example.com", logger: Self.logger) == nil)
            // A young pending registration is left alone (it may still be running).
            try await registration.undoAbandoned(logger: Self.logger)
            #expect(try await app.integer("SELECT count(*) FROM auth.accounts WHERE id = \(id)") == 1)
            try await registration.undoAbandoned(olderThan: 0, logger: Self.logger)
            #expect(try await app.accountCount() == 0)
            #expect(try await app.profileCount() == 0)
            // The e-mail is free again.
            try await app.registered()
            #expect(try await app.login(email: "alice@example.com", password: "correct horse").status == .ok)
        }
    }

    @Test func aCrashAfterTheProfileStepIsUndoneWithItsProfile() async throws {
        try await Self.withRegistration { app, registration, users in
            let (_, id) = try await Self.pendingAlice(in: app)
            try await users.create(
                NewProfile(id: id, username: "alice", description: "", status: ""),
                requestID: "r",
                logger: Self.logger
            )
            #expect(try await app.profileCount() == 1)
            #expect(try await app.login(email: "alice@example.com", password: "correct horse").status == .unauthorized)
            try await registration.undoAbandoned(olderThan: 0, logger: Self.logger)
            #expect(try await app.accountCount() == 0)
            #expect(try await app.profileCount() == 0)
            // Username and e-mail can be registered again.
            try await app.registered()
        }
    }

    @Test func theSweepLeavesActiveAccountsAlone() async throws {
        try await Self.withRegistration { app, registration, _ in
            let id = try await registration.register(Self.newUser(), requestID: "r", logger: Self.logger)
            try await registration.undoAbandoned(olderThan: 0, logger: Self.logger)
            #expect(try await app.integer("SELECT count(*) FROM auth.accounts WHERE pending_since IS NULL") == 1)
            #expect(try await app.integer("SELECT count(*) FROM users.profiles WHERE id = \(id)") == 1)
        }
    }

    @Test func aProfileUsersCouldNotRemoveIsRemovedByTheSweepOnceUsersIsBack() async throws {
        try await Self.withRegistration { app, registration, users in
            let (accounts, id) = try await Self.pendingAlice(in: app)
            // Users created the profile, then went down before the registration could take it back.
            try await users.create(
                NewProfile(id: id, username: "alice", description: "", status: ""),
                requestID: "r",
                logger: Self.logger
            )
            await UserRegistration(accounts: accounts, profiles: DownUsersRegistrar())
                .undo(id: id, requestID: "r", logger: Self.logger)
            #expect(try await app.accountCount() == 0)
            #expect(try await app.integer("SELECT count(*) FROM auth.abandoned_profiles WHERE user_id = \(id)") == 1)
            #expect(try await app.profileCount() == 1)
            try await registration.undoAbandoned(logger: Self.logger)
            #expect(try await app.profileCount() == 0)
            #expect(try await app.integer("SELECT count(*) FROM auth.abandoned_profiles") == 0)
        }
    }

    @Test func aRegistrationTheSweepUndidMeanwhileFailsAndTakesItsProfileBack() async throws {
        try await Self.withRegistration { app, _, users in
            let accounts = PostgresAccountStore(client: app.database)
            // Users answers only after the sweep has removed the pending account.
            let slow = SweptMidwayRegistrar(users: users, accounts: accounts)
            await #expect(throws: APIError.unavailable("Auth")) {
                try await UserRegistration(accounts: accounts, profiles: slow)
                    .register(Self.newUser(), requestID: "r", logger: Self.logger)
            }
            let (accountsLeft, profilesLeft) = (try await app.accountCount(), try await app.profileCount())
            #expect(accountsLeft == 0)
            #expect(profilesLeft == 0)
        }
    }
}

/// Users creating the profile while the sweep undoes the pending account (a registration slower than
/// ``UserRegistration/abandonedAfter``).
struct SweptMidwayRegistrar: ProfileRegistrar {
    let users: LocalUsersRegistrar
    let accounts: PostgresAccountStore

    func create(_ profile: NewProfile, requestID: String, logger: Logger) async throws {
        try await users.create(profile, requestID: requestID, logger: logger)
        try await accounts.removePending(id: profile.id, profileMayRemain: false, logger: logger)
    }

    func delete(id: Int64, requestID: String, logger: Logger) async throws {
        try await users.delete(id: id, requestID: requestID, logger: logger)
    }
}
