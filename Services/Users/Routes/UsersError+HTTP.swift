import HTTPTypes
import Shared

extension UsersError: APIErrorConvertible {
    public var apiError: APIError {
        switch self {
        case .usernameTaken:
            APIError(.conflict, detail: "This username is already taken", russian: "Это имя пользователя уже занято")
        case .profileExists:
            APIError(.conflict, detail: "A profile with this id exists", russian: "Профиль с таким id уже существует")
        case .missingUsername:
            .invalidField("Query parameter 'username' is required", russian: "Параметр 'username' обязателен")
        case .tooManyIDs(let limit):
            .invalidField("At most \(limit) ids per request", russian: "Не более \(limit) идентификаторов за запрос")
        case .invalidID:
            .invalidField("id must be a positive integer", russian: "id должен быть положительным целым числом")
        }
    }
}
