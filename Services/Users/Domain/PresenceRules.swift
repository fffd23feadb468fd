/// When a user counts as online, and how often a change of it is announced.
public enum PresenceRules {
    /// A user is online while active within this many seconds (seed 000: 5 minutes).
    public static let onlineWindowSeconds = 300
    /// At most one `PRESENCE_UPDATE` per user per this many seconds: a change within it waits for its end.
    public static let announcementIntervalSeconds = 10
}
