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
        case .invalidAvatarURL:
            .invalidField("avatar_url must be an https URL", russian: "avatar_url должен быть https-адресом")
        case .notMultipart:
            APIError(
                .unsupportedMediaType,
                detail: "Send the avatar as multipart/form-data in the field 'avatar_file'",
                russian: "Отправьте аватар как multipart/form-data в поле 'avatar_file'"
            )
        case .malformedUpload(let error):
            APIError(
                .badRequest,
                detail: "Malformed multipart body: \(error.reason)",
                russian: "Некорректное тело multipart: \(error.reason)"
            )
        case .missingAvatarFile:
            .invalidField(
                "Field 'avatar_file' with a file is required",
                russian: "Поле 'avatar_file' с файлом обязательно"
            )
        case .unsupportedAvatarType:
            APIError(
                .unsupportedMediaType,
                detail: "The avatar must be a PNG, JPEG, WebP or GIF image",
                russian: "Аватар должен быть изображением PNG, JPEG, WebP или GIF"
            )
        case .malformedAvatar:
            APIError(
                .unsupportedMediaType,
                detail: "The avatar is not a valid PNG, JPEG, WebP or GIF image: the file is damaged or incomplete",
                russian:
                    "Аватар не является корректным изображением PNG, JPEG, WebP или GIF: файл повреждён или неполон"
            )
        case .avatarDimensionsOutOfRange(let maxSide, let maxPixels):
            .invalidField(
                "The avatar must be 1 to \(maxSide) pixels on each side and at most \(maxPixels / 1_000_000) megapixels",
                russian:
                    "Стороны аватара должны быть от 1 до \(maxSide) пикселей, а площадь — не больше \(maxPixels / 1_000_000) мегапикселей"
            )
        case .avatarTooLarge(let limit):
            APIError(
                .contentTooLarge,
                detail: "The avatar must be at most \(limit) bytes",
                russian: "Размер аватара не должен превышать \(limit) байт"
            )
        case .profileNotFound:
            APIError(.notFound, detail: "Profile not found", russian: "Профиль не найден")
        }
    }
}
