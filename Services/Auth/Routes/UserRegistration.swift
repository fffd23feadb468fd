import Logging
import Shared

/// Creates a user: the account here and the profile in Users, in one transaction. If Users refuses or is
/// down, nothing is stored. Password and Yandex sign-up both end here.
public struct UserRegistration<Accounts: AccountStore, Profiles: ProfileRegistrar>: Sendable {
    let accounts: Accounts
    let profiles: Profiles

    public init(accounts: Accounts, profiles: Profiles) {
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

    /// Registers the user and returns their new id.
    /// - Throws: ``AuthError/emailTaken``, ``AuthError/usernameTaken`` (the last username was taken too),
    ///   ``YandexError/alreadyRegistered``, or what Users answers.
    @discardableResult
    public func register(_ registration: NewUser, requestID: String, logger: Logger) async throws -> Int64 {
        let profiles = profiles
        let created = CreatedProfile()
        do {
            return try await accounts.register(
                email: registration.email,
                passwordHash: registration.passwordHash,
                yandexID: registration.yandexID,
                createProfile: { id in
                    for (index, username) in registration.usernames.enumerated() {
                        // Recorded before the call: a timeout may leave a profile that Users created anyway.
                        await created.record(id)
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
                },
                logger: logger
            )
        } catch {
            // The account was rolled back; remove a profile that Users may hold for its id. The id is
            // fresh and never reused, so this can only remove this registration's own profile.
            if let id = await created.id {
                try? await profiles.delete(id: id, requestID: requestID, logger: logger)
            }
            throw error
        }
    }
}

/// Remembers the id a registration asked Users to create a profile for, for compensation if it fails.
actor CreatedProfile {
    private(set) var id: Int64?

    func record(_ id: Int64) {
        self.id = id
    }
}
