import Foundation
import Shared
import Synchronization

/// Access tokens whose signature the gateway already checked, with the caller each proves and its
/// expiry, so a client's next requests skip the Ed25519 verification.
///
/// Only tokens that passed every check are stored, keyed by the whole token, so a lookup can only
/// find a token byte-for-byte equal to a verified one. Expired entries are never returned. When the
/// cache is full, expired entries are dropped, and if that frees nothing, everything is: the next
/// requests verify again.
final class VerifiedTokenCache: Sendable {
    struct Entry {
        var caller: Caller
        var expiresAt: Date
    }

    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The caller `token` proved, if it was verified before and has not expired at `now`.
    func caller(for token: String, now: Date) -> Caller? {
        guard capacity > 0, let entry = entries.withLock({ $0[token] }), entry.expiresAt > now else { return nil }
        return entry.caller
    }

    /// Remembers a verified token.
    func insert(_ token: String, caller: Caller, expiresAt: Date, now: Date = Date()) {
        guard capacity > 0 else { return }
        entries.withLock { entries in
            if entries.count >= capacity, entries[token] == nil {
                entries = entries.filter { $0.value.expiresAt > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = Entry(caller: caller, expiresAt: expiresAt)
        }
    }

    /// Forgets every token (keys changed).
    func removeAll() {
        entries.withLock { $0.removeAll() }
    }

    var count: Int { entries.withLock { $0.count } }
}
