/// What Yandex ID's `login.yandex.ru/info?format=json` says about a user (the fields we use).
public struct YandexUser: Decodable, Sendable, Equatable {
    /// The stable Yandex user id; accounts are matched by it, never by e-mail.
    public var id: String
    public var login: String
    public var defaultEmail: String?
    public var defaultAvatarID: String?
    /// `true` when `defaultAvatarID` names Yandex's placeholder rather than a picture the user chose.
    public var isAvatarEmpty: Bool?

    public init(
        id: String,
        login: String,
        defaultEmail: String? = nil,
        defaultAvatarID: String? = nil,
        isAvatarEmpty: Bool? = nil
    ) {
        self.id = id
        self.login = login
        self.defaultEmail = defaultEmail
        self.defaultAvatarID = defaultAvatarID
        self.isAvatarEmpty = isAvatarEmpty
    }

    enum CodingKeys: String, CodingKey {
        case id, login
        case defaultEmail = "default_email"
        case defaultAvatarID = "default_avatar_id"
        case isAvatarEmpty = "is_avatar_empty"
    }

    /// The 100-pixel picture on Yandex's avatar server, unless the user has none; an id with characters
    /// outside Yandex's alphabet is ignored rather than pasted into a URL.
    public var avatarURL: String? {
        guard let avatarID = defaultAvatarID, !avatarID.isEmpty, avatarID.count <= 200, isAvatarEmpty != true,
            avatarID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_/".contains($0)) })
        else { return nil }
        return "https://avatars.yandex.net/get-yapic/\(avatarID)/islands-retina-50"
    }
}
