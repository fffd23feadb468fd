/// A private conversation between two users.
public struct Chat: Sendable, Equatable {
    public var id: Int64
    /// The user who started it.
    public var starterID: Int64
    /// The other member.
    public var recipientID: Int64

    public init(id: Int64, starterID: Int64, recipientID: Int64) {
        self.id = id
        self.starterID = starterID
        self.recipientID = recipientID
    }

    /// Whether `userID` is one of the two members.
    public func hasMember(_ userID: Int64) -> Bool {
        userID == starterID || userID == recipientID
    }
}
