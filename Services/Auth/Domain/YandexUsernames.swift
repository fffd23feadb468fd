import Shared

/// Usernames for a user signing up with Yandex ID, made from their Yandex login.
public enum YandexUsernames {
    /// Usernames to try in order: the login fitted to ``ProfileRules`` (other characters become `_`,
    /// short ones are padded, long ones cut), then that name with random four-digit suffixes.
    public static func candidates(for login: String, attempts: Int = 6) -> [String] {
        var base = String(
            login.map { character -> Character in
                character.isASCII && (character.isLetter || character.isNumber || "_.-".contains(character))
                    ? character : "_"
            }
        )
        if base.count < ProfileRules.usernameLength.lowerBound { base += "_ya" }
        base = String(base.prefix(ProfileRules.usernameLength.upperBound))
        let stem = String(base.prefix(ProfileRules.usernameLength.upperBound - 5))
        return [base] + (1..<max(attempts, 1)).map { _ in stem + "_" + String(Int.random(in: 1000...9999)) }
    }
}
