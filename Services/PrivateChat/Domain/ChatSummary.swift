/// A chat as the caller's chat list shows it: what a client needs to draw the row.
public struct ChatSummary: Sendable, Equatable {
    public var id: Int64
    public var kind: ChatKind
    /// A group's title.
    public var title: String?
    /// The other member of a private chat.
    public var peerID: Int64?
    public var memberCount: Int64
    /// The newest message, system messages included.
    public var lastMessage: Message?
    /// Others' messages after the caller's read marker (system messages excluded).
    public var unreadCount: Int64
    /// Of those, the ones that mention the caller.
    public var mentionCount: Int64
    /// When the chat was last active, as the list spells it (`YYYY-MM-DDTHH:MM:SS.ffffffZ`, microseconds,
    /// so the next page's cursor loses nothing).
    public var lastActivityAt: String
}
