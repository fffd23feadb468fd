/// A user's credentials as Auth keeps them.
public struct Account: Sendable, Equatable {
    public var id: Int64
    public var email: String
    /// bcrypt hash; `nil` for accounts that sign in only through an identity provider.
    public var passwordHash: String?

    public init(id: Int64, email: String, passwordHash: String?) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
    }
}
