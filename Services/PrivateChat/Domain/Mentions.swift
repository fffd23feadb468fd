/// Mentions in a message: `@username` (3-32 of `[A-Za-z0-9_.-]`, as usernames are), case ignored, not
/// inside a word or an e-mail address (`bob@example.com` mentions nobody).
public enum Mentions {
    /// The lowercased usernames `text` mentions.
    public static func usernames(in text: String) -> Set<String> {
        var names: Set<String> = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            defer { index += 1 }
            guard scalars[index] == "@", index == 0 || !isNameCharacter(scalars[index - 1]) else { continue }
            var end = index + 1
            while end < scalars.count, isNameCharacter(scalars[end]) { end += 1 }
            let length = end - index - 1
            if (3...32).contains(length) {
                names.insert(String(String.UnicodeScalarView(scalars[(index + 1)..<end])).lowercased())
            }
            index = end - 1
        }
        return names
    }

    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", ".", "-": true
        default: false
        }
    }
}
