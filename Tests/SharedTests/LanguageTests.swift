import Shared
import Testing

@Suite struct LanguageTests {
    @Test func missingHeaderIsEnglish() {
        #expect(Language(acceptLanguage: nil) == .english)
    }

    @Test func englishIsEnglish() {
        #expect(Language(acceptLanguage: "en") == .english)
        #expect(Language(acceptLanguage: "en-US") == .english)
    }

    @Test func russianIsRussian() {
        #expect(Language(acceptLanguage: "ru") == .russian)
        #expect(Language(acceptLanguage: "RU") == .russian)
    }

    @Test func russianWithARegionIsRussian() {
        #expect(Language(acceptLanguage: "ru-RU") == .russian)
        #expect(Language(acceptLanguage: "ru-RU,en;q=0.8") == .russian)
    }

    @Test func theHighestWeightWins() {
        #expect(Language(acceptLanguage: "en;q=0.5, ru;q=0.9") == .russian)
        #expect(Language(acceptLanguage: "ru;q=0.5, en;q=0.9") == .english)
    }

    @Test func russianWithZeroWeightIsRefused() {
        #expect(Language(acceptLanguage: "ru;q=0") == .english)
        #expect(Language(acceptLanguage: "ru;q=0, en;q=0.1") == .english)
    }

    @Test func otherLanguagesFallBackToEnglish() {
        #expect(Language(acceptLanguage: "de-DE,fr;q=0.9") == .english)
        #expect(Language(acceptLanguage: "") == .english)
        #expect(Language(acceptLanguage: "*") == .english)
    }

    @Test func russianLaterInTheListWithLowerWeightIsNotChosen() {
        #expect(Language(acceptLanguage: "en, ru;q=0.9") == .english)
    }
}
