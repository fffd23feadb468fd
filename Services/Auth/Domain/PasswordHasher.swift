import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing and verification, run on NIO's thread pool: bcrypt is deliberately slow and must
/// not block an event loop while other requests wait.
public struct PasswordHasher: Sendable {
    /// The bcrypt cost (4-31).
    public let cost: Int
    /// A hash of a random password at the same cost, checked against when the e-mail is unknown, so an
    /// unknown e-mail takes as long to refuse as a wrong password.
    private let decoyHash: String

    public init(cost: Int) {
        self.cost = cost
        decoyHash = Bcrypt.hash(String(UInt64.random(in: .min ... .max)), cost: UInt8(cost))
    }

    /// Hashes `password`.
    /// - Throws: ``AuthError/invalidPassword(bytes:)`` for a password with a NUL, which bcrypt's C code
    ///   would cut there (callers check ``CredentialRules`` first; this is the last line).
    public func hash(_ password: String) async throws -> String {
        guard !password.utf8.contains(0) else { throw AuthError.invalidPassword(bytes: CredentialRules.passwordBytes) }
        let cost = UInt8(cost)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`; with `hash` `nil`, checks the decoy and returns `false`.
    /// A password with a NUL never matches (bcrypt would compare only the bytes before it).
    public func verify(_ password: String, against hash: String?) async throws -> Bool {
        let target = hash ?? decoyHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }
        return matches && hash != nil && !password.utf8.contains(0)
    }
}
