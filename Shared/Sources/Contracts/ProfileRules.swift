/// The rules a profile's fields follow. Auth checks them before it writes anything at registration;
/// Users checks them again on every write.
public enum ProfileRules {
    /// Usernames are 3-32 characters.
    public static let usernameLength = 3...32
    /// Longest description, in characters (the seed's limit).
    public static let maxDescriptionLength = 190
    /// Longest status, in characters (the seed's limit).
    public static let maxStatusLength = 30

    /// Checks a username: 3-32 of `[A-Za-z0-9_.-]`.
    /// - Throws: ``APIError`` 422.
    public static func validate(username: String) throws {
        let allowed = username.unicodeScalars.allSatisfy {
            $0.isASCII && (UInt8($0.value).isASCIIAlphanumeric || "_.-".unicodeScalars.contains($0))
        }
        guard usernameLength.contains(username.count), allowed else {
            throw APIError.invalidField(
                "Username must be 3-32 characters: latin letters, digits, '_', '.', '-'",
                russian: "Имя пользователя должно содержать от 3 до 32 символов: латинские буквы, цифры, '_', '.', '-'"
            )
        }
    }

    /// Checks the optional description and status lengths.
    /// - Throws: ``APIError`` 422.
    public static func validate(description: String, status: String) throws {
        guard description.count <= maxDescriptionLength else {
            throw APIError.invalidField(
                "Description must be at most \(maxDescriptionLength) characters",
                russian: "Описание должно содержать не более \(maxDescriptionLength) символов"
            )
        }
        guard status.count <= maxStatusLength else {
            throw APIError.invalidField(
                "Status must be at most \(maxStatusLength) characters",
                russian: "Статус должен содержать не более \(maxStatusLength) символов"
            )
        }
    }
}
