/// libFuzzer target: what PrivateChat reads from a client's text and query before any SQL sees it:
/// mentions in a message, the page cursors of the messages list, and the chat list's cursor. The input
/// is split at NUL bytes into the message text and the query values.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChatQuery(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parts = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    let text = parts[0]
    for name in Mentions.usernames(in: text) {
        precondition((3...32).contains(name.count), "a mention of the wrong length")
        precondition(name.unicodeScalars.allSatisfy(Mentions.isNameCharacter), "a mention with another character")
        precondition(name == name.lowercased(), "a mention not lowercased")
        precondition(contains(scalarsOf: text.lowercased(), "@" + name), "a mention that is not in the text")
    }
    let value = { (index: Int) -> String? in index < parts.count && !parts[index].isEmpty ? parts[index] : nil }
    if let page = try? MessagePageQuery.parse(offset: value(1), before: value(2), after: value(3), around: value(4)) {
        switch page {
        case .offset(let offset): precondition(offset >= 0)
        case .before(let id), .after(let id), .around(let id): precondition(id >= 0)
        }
    }
    if let cursor = try? ChatListCursor.parse(before: value(5), beforeID: value(6)) {
        precondition(ChatListCursor.isTimestamp(cursor.lastActivityAt) && cursor.id > 0)
    }
    return 0
}

/// Whether `text` holds `part` as a run of Unicode scalars (mentions are read scalar by scalar, so a
/// combining mark after one does not hide it, as it would from a search by characters).
func contains(scalarsOf text: String, _ part: String) -> Bool {
    let haystack = Array(text.unicodeScalars)
    let needle = Array(part.unicodeScalars)
    guard needle.count <= haystack.count else { return false }
    return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
}
