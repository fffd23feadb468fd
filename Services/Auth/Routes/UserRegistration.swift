import Logging
import Shared

/// Creates a user in three steps, none of which holds a database transaction open across a call to
/// another service: the account is committed first in a state that cannot log in, then the profile is
/// created in Users, then the account is activated. Password and Yandex sign-up both end here.
///
/// A failure in between is compensated at once (the profile, if it may exist, and the pending account
/// are removed); what a crash or an outage leaves halfway is undone by ``undoAbandoned(olderThan:logger:)``,
/// which Auth's janitor runs every minute. A registration is never finished by the sweep: the client
/// that started it was not told it succeeded.
public struct UserRegistration: Sendable {
    let accounts: PostgresAccountStore
    let profiles: any ProfileRegistrar

    public init(accounts: PostgresAccountStore, profiles: any ProfileRegistrar) {
        self.accounts = accounts
        self.profiles = profiles
    }

    /// What a new user starts with.
    public struct NewUser: Sendable {
        public var email: String
        public var passwordHash: String?
        public var yandexID: String?
        /// Usernames to try in order; the next is tried while Users reports one taken.
        public var usernames: [String]
        public var description = ""
        public var status = ""
        public var avatarURL: String?
    }

    /// How long a registration may stay pending before the sweep undoes it: far longer than the Users
    /// calls of one registration can take (5 s each).
    public static let abandonedAfter = 300

    /// Registers the user and returns their new id.
    /// - Throws: ``AuthError/emailTaken``, ``AuthError/usernameTaken`` (the last username was taken too),
    ///   ``YandexError/alreadyRegistered``, or what Users answers.
    @discardableResult
    public func register(_ registration: NewUser, requestID: String, logger: Logger) async throws -> Int64 {
        let id = try await accounts.createPending(
            email: registration.email,
            passwordHash: registration.passwordHash,
            yandexID: registration.yandexID,
            logger: logger
        )
        do {
            try await createProfile(id: id, for: registration, requestID: requestID, logger: logger)
        } catch {
            await undo(id: id, requestID: requestID, logger: logger)
            throw error
        }
        guard try await accounts.activate(id: id, logger: logger) else {
            // The sweep undid this registration while Users was answering: take the profile back too.
            await undo(id: id, requestID: requestID, logger: logger)
            throw APIError.unavailable("Auth")
        }
        return id
    }

    /// Creates the profile of account `id`, trying the usernames in order.
    func createProfile(id: Int64, for registration: NewUser, requestID: String, logger: Logger) async throws {
        for (index, username) in registration.usernames.enumerated() {
            do {
                try await profiles.create(
                    NewProfile(
                        id: id,
                        username: username,
                        description: registration.description,
                        status: registration.status,
                        avatarURL: registration.avatarURL
                    ),
                    requestID: requestID,
                    logger: logger
                )
                return
            } catch AuthError.usernameTaken where index < registration.usernames.count - 1 {
                continue
            }
        }
        throw AuthError.usernameTaken
    }

    /// Removes what a failed registration of account `id` may have left: the profile (a call that timed
    /// out may have created it anyway; the id is fresh and never reused, so only this registration's
    /// profile can be removed) and the pending account. When Users cannot confirm the profile's removal,
    /// the account goes all the same and its id is kept for the sweep to retry the removal.
    func undo(id: Int64, requestID: String, logger: Logger) async {
        var profileMayRemain = false
        do {
            try await profiles.delete(id: id, requestID: requestID, logger: logger)
        } catch {
            profileMayRemain = true
        }
        do {
            try await accounts.removePending(id: id, profileMayRemain: profileMayRemain, logger: logger)
        } catch {
            // The account stays pending; the sweep undoes it later.
            logger.warning(
                "registration.undo_failed",
                metadata: ["account": "\(id)", "error": "\(String(reflecting: error))"]
            )
        }
    }

    /// Undoes the registrations pending for longer than `seconds` (by default ``abandonedAfter``), and
    /// removes the profiles of undone registrations that Users could not remove before.
    @Sendable public func undoAbandoned(olderThan seconds: Int = abandonedAfter, logger: Logger) async throws {
        for id in try await accounts.pendingAccounts(olderThan: seconds, limit: 100, logger: logger) {
            logger.notice("registration.abandoned", metadata: ["account": "\(id)"])
            await undo(id: id, requestID: Self.sweepRequestID, logger: logger)
        }
        for id in try await accounts.abandonedProfiles(limit: 100, logger: logger) {
            try await profiles.delete(id: id, requestID: Self.sweepRequestID, logger: logger)
            try await accounts.forgetAbandonedProfile(id: id, logger: logger)
        }
    }

    /// The request id of the sweep's calls to Users.
    static let sweepRequestID = "auth-registration-sweep"
}
