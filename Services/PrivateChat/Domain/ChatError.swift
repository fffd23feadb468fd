/// Failures of the PrivateChat domain.
public enum ChatError: Error, Equatable {
    case chatNotFound
    case notAMember
    case chatWithYourself
    case recipientNotFound
    case answerNotInChat
    case invalidText(maxLength: Int)
    case invalidChatID
    case invalidLimit(range: ClosedRange<Int>)
    case invalidOffset
    /// A group's title breaks ``GroupRules/validate(title:)``.
    case invalidTitle(maxLength: Int)
    /// A group would have no other member or more than the limit allows.
    case invalidMemberCount(maxOthers: Int)
    /// A group may not grow past its limit.
    case groupFull(maxMembers: Int)
    /// A user named as a member does not exist.
    case userNotFound(Int64)
    /// The user named in the path is not a member of the chat.
    case memberNotFound(Int64)
    /// The caller's role does not allow the change.
    case roleForbids
    /// Member management on a private chat.
    case notAGroup
    case invalidUserID
    case invalidRole
    /// More than one of `offset`, `before`, `after`, `around`.
    case conflictingCursors
    /// A message cursor that is not a non-negative integer.
    case invalidCursor(String)
    /// `before`/`before_id` of the chat list missing one another or malformed.
    case invalidListCursor
    /// A read marker on a message that is not in the chat.
    case messageNotInChat
    /// The owner may not step down by a role change; transferring ownership (`role: owner`) or leaving does.
    case ownerMustTransfer
    /// A message's `nonce` that is not 1-64 printable ASCII characters.
    case invalidNonce(maxLength: Int)
}
