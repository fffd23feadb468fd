import HTTPTypes
import Hummingbird
import Shared
import Testing

/// The ``APIError`` `check` throws, or `nil` when it passes.
private func apiError(_ check: () throws -> Void) -> APIError? {
    do {
        try check()
        return nil
    } catch let error as APIError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite struct ProfileRulesTests {
    @Test func limitsAreTheSeeds() {
        #expect(ProfileRules.usernameLength == 3...32)
        #expect(ProfileRules.maxDescriptionLength == 190)
        #expect(ProfileRules.maxStatusLength == 30)
    }

    @Test func usernamesOfAllowedCharactersAndLengthPass() {
        let valid = ["abc", "ABC", "a_b", "a.b", "a-b", "user123", "Z9_.-z", String(repeating: "x", count: 32)]
        for username in valid {
            let error = apiError { try ProfileRules.validate(username: username) }
            #expect(error?.status == nil, "\(username)")
        }
    }

    @Test func usernamesShorterThan3AreRefused() {
        for username in ["", "a", "ab"] {
            let error = apiError { try ProfileRules.validate(username: username) }
            #expect(error?.status == .unprocessableContent, "\(username)")
        }
    }

    @Test func usernamesLongerThan32AreRefused() {
        let error = apiError { try ProfileRules.validate(username: String(repeating: "x", count: 33)) }
        #expect(error?.status == .unprocessableContent)
        #expect(error?.detail == "Username must be 3-32 characters: latin letters, digits, '_', '.', '-'")
    }

    @Test func usernamesWithOtherCharactersAreRefused() {
        for username in [
            "bad name", "кириллица", "emoji😀x", "semi;colon", "slash/name", "at@sign", "tab\tname", "ünïcode",
        ] {
            let error = apiError { try ProfileRules.validate(username: username) }
            #expect(error?.status == .unprocessableContent, "\(username)")
        }
    }

    @Test func usernameErrorHasARussianDetail() {
        let error = apiError { try ProfileRules.validate(username: "ab") }
        #expect(error?.russianDetail?.isEmpty == false)
        #expect(error?.detail(in: .russian) != error?.detail(in: .english))
    }

    @Test func descriptionOf190AndStatusOf30Pass() {
        let empty = apiError { try ProfileRules.validate(description: "", status: "") }
        #expect(empty?.status == nil)
        let error = apiError {
            try ProfileRules.validate(
                description: String(repeating: "d", count: 190),
                status: String(repeating: "s", count: 30)
            )
        }
        #expect(error?.status == nil)
    }

    @Test func lengthsCountCharactersNotBytes() {
        let error = apiError {
            try ProfileRules.validate(
                description: String(repeating: "я", count: 190),
                status: String(repeating: "ж", count: 30)
            )
        }
        #expect(error?.status == nil)
    }

    @Test func descriptionOf191IsRefused() {
        let error = apiError { try ProfileRules.validate(description: String(repeating: "d", count: 191), status: "") }
        #expect(error?.status == .unprocessableContent)
        #expect(error?.detail == "Description must be at most 190 characters")
    }

    @Test func statusOf31IsRefused() {
        let error = apiError { try ProfileRules.validate(description: "", status: String(repeating: "s", count: 31)) }
        #expect(error?.status == .unprocessableContent)
        #expect(error?.detail == "Status must be at most 30 characters")
    }
}
