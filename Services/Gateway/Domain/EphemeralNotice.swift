/// An ephemeral event announced to every gateway (`TYPING_START`, `PRESENCE_UPDATE`: never stored or
/// replayed): the payload of a notification on the events channel,
/// `ephemeral <t> <recipient>,<recipient>,... <d>`, with `d` the dispatch's JSON object as written.
///
/// Every gateway reads every notice, so it is read without a JSON parser: the type and the recipients
/// are split off, and `d` is passed on as is.
struct EphemeralNotice: Equatable, Sendable {
    static let prefix = "ephemeral "
    /// PostgreSQL refuses a notification payload of 8,000 bytes or more.
    static let maxBytes = 7999

    /// The dispatch's `t`.
    var type: String
    var recipients: [Int64]
    /// The dispatch's `d`, JSON object text.
    var payload: String

    init(type: String, recipients: [Int64], payload: String) {
        self.type = type
        self.recipients = recipients
        self.payload = payload
    }

    /// Reads a notification's payload; `nil` for anything else (such as the outbox's wake-ups).
    init?(notification text: String) {
        guard text.hasPrefix(Self.prefix) else { return nil }
        let parts = text.utf8.dropFirst(Self.prefix.utf8.count)
            .split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[2].first == UInt8(ascii: "{") else { return nil }
        var recipients: [Int64] = []
        for id in parts[1].split(separator: UInt8(ascii: ",")) {
            guard let recipient = Int64(String(decoding: id, as: UTF8.self)) else { return nil }
            recipients.append(recipient)
        }
        self.init(
            type: String(decoding: parts[0], as: UTF8.self),
            recipients: recipients,
            payload: String(decoding: parts[2], as: UTF8.self)
        )
    }

    /// The notification's payload.
    var text: String {
        Self.prefix + type + " " + recipients.map(String.init).joined(separator: ",") + " " + payload
    }

    /// The notices that carry `payload` to `recipients`, as few as fit each within ``maxBytes``; none
    /// when there is nobody to tell, or when `payload` alone would not fit (ours are far smaller).
    static func notices(type: String, payload: String, to recipients: [Int64]) -> [EphemeralNotice] {
        let fixed = prefix.utf8.count + type.utf8.count + 2 + payload.utf8.count
        guard fixed + 20 <= maxBytes else { return [] }
        var notices: [EphemeralNotice] = []
        var chunk: [Int64] = []
        var size = fixed
        for recipient in recipients {
            let digits = String(recipient).utf8.count
            if !chunk.isEmpty && size + 1 + digits > maxBytes {
                notices.append(EphemeralNotice(type: type, recipients: chunk, payload: payload))
                chunk = []
                size = fixed
            }
            size += digits + (chunk.isEmpty ? 0 : 1)
            chunk.append(recipient)
        }
        if !chunk.isEmpty { notices.append(EphemeralNotice(type: type, recipients: chunk, payload: payload)) }
        return notices
    }
}
