import HTTPTypes
import Shared

extension ChatError: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .chatNotFound:
            APIError(.notFound, detail: "Chat not found", russian: "Переписка не найдена")
        case .notAMember:
            APIError(.forbidden, detail: "You are not a member of this chat", russian: "Вы не участник этой переписки")
        case .chatWithYourself:
            .invalidField("You cannot start a chat with yourself", russian: "Нельзя начать переписку с самим собой")
        case .recipientNotFound:
            APIError(.notFound, detail: "Recipient not found", russian: "Получатель не найден")
        case .answerNotInChat:
            .invalidField(
                "message_answer_id must be a message of this chat",
                russian: "message_answer_id должен быть сообщением этой переписки"
            )
        case .invalidText(let maxLength):
            .invalidField(
                "Message text must be 1-\(maxLength) characters",
                russian: "Текст сообщения должен содержать от 1 до \(maxLength) символов"
            )
        case .invalidChatID:
            .invalidField(
                "chat_id must be a positive integer",
                russian: "chat_id должен быть положительным целым числом"
            )
        case .invalidLimit(let range):
            .invalidField(
                "limit must be an integer in \(range.lowerBound)-\(range.upperBound)",
                russian: "limit должен быть целым числом от \(range.lowerBound) до \(range.upperBound)"
            )
        case .invalidOffset:
            .invalidField(
                "offset must be a non-negative integer",
                russian: "offset должен быть неотрицательным целым числом"
            )
        case .invalidTitle(let maxLength):
            .invalidField(
                "title must be 1-\(maxLength) characters, not only spaces",
                russian: "Название должно содержать от 1 до \(maxLength) символов и не только пробелы"
            )
        case .invalidMemberCount(let maxOthers):
            .invalidField(
                "member_ids must name 1-\(maxOthers) other users",
                russian: "member_ids должен содержать от 1 до \(maxOthers) других пользователей"
            )
        case .groupFull(let maxMembers):
            .invalidField(
                "A group has at most \(maxMembers) members",
                russian: "В группе может быть не больше \(maxMembers) участников"
            )
        case .userNotFound(let id):
            APIError(.notFound, detail: "User \(id) not found", russian: "Пользователь \(id) не найден")
        case .memberNotFound(let id):
            APIError(
                .notFound,
                detail: "User \(id) is not a member of this chat",
                russian: "Пользователь \(id) не участник этой переписки"
            )
        case .roleForbids:
            APIError(
                .forbidden,
                detail: "Your role in this group does not allow this",
                russian: "Ваша роль в этой группе не позволяет это сделать"
            )
        case .notAGroup:
            .invalidField(
                "A private chat has no members or roles to manage",
                russian: "В личной переписке нет участников и ролей для управления"
            )
        case .invalidUserID:
            .invalidField(
                "user_id must be a positive integer",
                russian: "user_id должен быть положительным целым числом"
            )
        case .invalidRole:
            .invalidField(
                "role must be one of owner, admin, member",
                russian: "role должна быть одной из: owner, admin, member"
            )
        case .conflictingCursors:
            .invalidField(
                "Use at most one of offset, before, after and around",
                russian: "Укажите не больше одного из offset, before, after и around"
            )
        case .invalidCursor(let name):
            .invalidField(
                "\(name) must be a message id (a non-negative integer)",
                russian: "\(name) должен быть id сообщения (неотрицательным целым числом)"
            )
        case .invalidListCursor:
            .invalidField(
                "before and before_id go together: the last_activity_at and id of the last chat of a page",
                russian: "before и before_id указываются вместе: last_activity_at и id последней переписки страницы"
            )
        case .messageNotInChat:
            .invalidField(
                "message_id must be a message of this chat",
                russian: "message_id должен быть сообщением этой переписки"
            )
        case .ownerMustTransfer:
            .invalidField(
                "The owner steps down by making another member owner, or by leaving",
                russian: "Владелец может передать владение другому участнику или покинуть группу"
            )
        case .invalidNonce(let maxLength):
            .invalidField(
                "nonce must be 1-\(maxLength) printable ASCII characters",
                russian: "nonce должен содержать от 1 до \(maxLength) печатных символов ASCII"
            )
        }
    }
}
