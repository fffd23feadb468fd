import Shared

/// The events Users appends to the outbox (`events.outbox`, ARCHITECTURE.md "Real-time delivery"), in the
/// transaction of the change they describe.
enum UserEvents {
    /// `USER_UPDATE` of `user` (its username, avatar or status changed), to `recipients`: the users who
    /// share a chat with it, and itself. `d` is the user as `GET /users/user/` lists it.
    static func userUpdated(_ user: PublicUser, recipients: [Int64]) -> OutboxEvent {
        OutboxEvent(.userUpdate, to: recipients, payload: user.jsonText)
    }
}
