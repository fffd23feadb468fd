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
}
