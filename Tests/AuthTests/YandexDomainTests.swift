import Foundation
import Shared
import Testing

@testable import Auth

@Suite struct YandexDomainTests {
    static let key = Data(repeating: 9, count: 32).base64EncodedString()

    @Test func pkceChallengeMatchesRFC7636() {
        #expect(
            PKCE.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
                == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        )
        let verifier = PKCE.makeVerifier()
        #expect((43...128).contains(verifier.count))
        #expect(verifier.allSatisfy { $0.isLetter || $0.isNumber || "-._~".contains($0) })
        #expect(PKCE.makeVerifier() != verifier)
    }

    @Test func stateOpensOnlyForItsBrowserAndBeforeItExpires() throws {
        let sealer = try YandexStateSealer(base64Key: Self.key, lifetime: 600)
        let now = Date()
        let started = try sealer.begin(now: now)
        #expect(try sealer.open(started.state, binding: started.binding, now: now) == started.contents)
        #expect(throws: YandexError.invalidState) { try sealer.open(started.state, binding: nil, now: now) }
        #expect(throws: YandexError.invalidState) { try sealer.open(started.state, binding: "other", now: now) }
        #expect(throws: YandexError.invalidState) {
            try sealer.open(started.state, binding: started.binding, now: now.addingTimeInterval(601))
        }
        let other = try YandexStateSealer(base64Key: Data(repeating: 1, count: 32).base64EncodedString())
        #expect(throws: YandexError.invalidState) { try other.open(started.state, binding: started.binding, now: now) }
        // A QR ticket sealed under the same key is not a state.
        let ticket = try QRTicketSealer(base64Key: Self.key).seal(userID: 1, clientID: nil).token
        #expect(throws: YandexError.invalidState) { try sealer.open(ticket, binding: started.binding, now: now) }
    }

    @Test func usernamesAreMadeFromTheLoginAndFitTheRules() throws {
        #expect(YandexUsernames.candidates(for: "ivan.petrov").first == "ivan.petrov")
        #expect(YandexUsernames.candidates(for: "ab").first == "ab_ya")
        #expect(YandexUsernames.candidates(for: "иван@x").first == "_____x")
        let long = String(repeating: "a", count: 40)
        for login in ["ivan.petrov", "ab", long, "иван", "a b"] {
            let candidates = YandexUsernames.candidates(for: login)
            #expect(candidates.count == 6)
            #expect(Set(candidates).count > 1)
            for candidate in candidates {
                #expect(throws: Never.self, "\(candidate)") { try ProfileRules.validate(username: candidate) }
            }
        }
    }

    @Test func avatarURLIsBuiltOnlyFromAPlainAvatarID() {
        var user = YandexUser(id: "1", login: "x", defaultAvatarID: "31804/BYkogAC6-1", isAvatarEmpty: false)
        #expect(user.avatarURL == "https://avatars.yandex.net/get-yapic/31804/BYkogAC6-1/islands-retina-50")
        user.isAvatarEmpty = true
        #expect(user.avatarURL == nil)
        for id in ["", "../../evil", "a?b=c", "a b", "x#y"] {
            #expect(YandexUser(id: "1", login: "x", defaultAvatarID: id).avatarURL == nil, "\(id)")
        }
    }

    @Test func formEncodingEscapesEverythingButUnreserved() {
        #expect(FormEncoding.encode([("a b", "c&d=e"), ("x", "~._-/")]) == "a%20b=c%26d%3De&x=~._-%2F")
        #expect(FormEncoding.escape("й") == "%D0%B9")
    }
}
