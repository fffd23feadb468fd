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
        }
    }
}
