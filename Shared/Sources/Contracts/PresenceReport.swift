/// The body of a gateway's report to Users (``InternalRoute/presence``): the users it saw active since
/// its last report (identified WebSocket connections, authenticated requests).
public struct PresenceReport: Codable, Sendable, Equatable {
    /// Most ids one report may carry; a gateway sends more in several reports.
    public static let maxUserIDs = 10_000

    public var userIDs: [Int64]

    public init(userIDs: [Int64]) {
        self.userIDs = userIDs
    }

    enum CodingKeys: String, CodingKey {
        case userIDs = "user_ids"
    }
}

/// A user came online or went offline: one element of Users' answer to a ``PresenceReport``, and the `d`
/// of the `PRESENCE_UPDATE` the gateway announces to the user's contacts (both written by ``JSONWriter``).
public struct PresenceChange: Decodable, Sendable, Equatable {
    public enum Status: String, Decodable, Sendable {
        case online, offline
    }

    public var userID: Int64
    public var status: Status
    /// When the user was last active (for `online`, the report that found it), as
    /// ``UTCTimestamp/iso8601(_:)`` spells it.
    public var lastOnlineAt: String

    public init(userID: Int64, status: Status, lastOnlineAt: String) {
        self.userID = userID
        self.status = status
        self.lastOnlineAt = lastOnlineAt
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case status
        case lastOnlineAt = "last_online_at"
    }
}
