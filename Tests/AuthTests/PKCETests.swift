import Testing

@testable import Auth

/// The PKCE checks that bind a QR hub's grant to the browser that opened it.
@Suite struct PKCETests {
    /// RFC 7636, appendix B.
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    @Test func theRightVerifierAnswersItsChallenge() {
        #expect(PKCE.verifies(Self.verifier, against: Self.challenge))
        #expect(!PKCE.verifies(PKCE.makeVerifier(), against: Self.challenge))
        #expect(!PKCE.verifies(Self.verifier, against: Self.challenge.lowercased()))
    }

    @Test func aMissingOrUnexpectedVerifierNeverMatches() {
        #expect(PKCE.verifies(nil, against: nil))
        #expect(!PKCE.verifies(nil, against: Self.challenge))
        #expect(!PKCE.verifies(Self.verifier, against: nil))
    }

    @Test func verifiersAreFortyThreeToOneHundredTwentyEightUnreservedCharacters() {
        #expect(PKCE.isValidVerifier(Self.verifier))
        #expect(PKCE.isValidVerifier(PKCE.makeVerifier()))
        #expect(PKCE.isValidVerifier(String(repeating: "a.b~c_d-", count: 14) + "12"))
        #expect(!PKCE.isValidVerifier(String(repeating: "a", count: 42)))
        #expect(!PKCE.isValidVerifier(String(repeating: "a", count: 129)))
        #expect(!PKCE.isValidVerifier(String(repeating: "a", count: 42) + "+"))
        #expect(!PKCE.isValidVerifier(String(repeating: "a", count: 42) + "é"))
        #expect(!PKCE.isValidVerifier(String(repeating: "a", count: 42) + "\u{0}"))
    }

    @Test func challengesAreFortyThreeBase64URLCharacters() {
        #expect(PKCE.isValidChallenge(Self.challenge))
        #expect(!PKCE.isValidChallenge(String(Self.challenge.dropLast())))
        #expect(!PKCE.isValidChallenge(Self.challenge + "A"))
        #expect(!PKCE.isValidChallenge(String(Self.challenge.dropLast()) + "="))
        #expect(!PKCE.isValidChallenge(String(Self.challenge.dropLast()) + "."))
    }
}
