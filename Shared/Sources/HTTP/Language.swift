import Foundation

/// The languages `detail` messages are written in.
public enum Language: Sendable, Equatable {
    case english
    case russian

    /// Picks the language from an `Accept-Language` header: Russian when the language with the highest
    /// weight (`q`, default 1; the first of equals) is `ru` in any region; English otherwise.
    public init(acceptLanguage header: String?) {
        guard let header else {
            self = .english
            return
        }
        var best: (tag: Substring, weight: Double)?
        for part in header.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = fields.first, !tag.isEmpty else { continue }
            var weight = 1.0
            for parameter in fields.dropFirst() where parameter.hasPrefix("q=") {
                weight = Double(parameter.dropFirst(2)) ?? 0
            }
            if weight > 0, weight > (best?.weight ?? 0) {
                best = (Substring(tag), weight)
            }
        }
        let primary = best?.tag.split(separator: "-").first?.lowercased()
        self = primary == "ru" ? .russian : .english
    }
}
