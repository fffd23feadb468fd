import Shared
import Testing

@Suite struct ConstantTimeTests {
    @Test func equalSecretsAreEqual() {
        #expect(constantTimeEquals(Array("test-internal-token".utf8), Array("test-internal-token".utf8)))
    }

    @Test func emptySecretsAreEqual() {
        #expect(constantTimeEquals([], []))
    }

    @Test func secretsDifferingInOneByteAreNotEqual() {
        #expect(!constantTimeEquals([1, 2, 3, 4], [1, 2, 3, 5]))
        #expect(!constantTimeEquals([0, 2, 3, 4], [1, 2, 3, 4]))
    }

    @Test func secretsOfDifferentLengthsAreNotEqual() {
        #expect(!constantTimeEquals(Array("token".utf8), Array("token2".utf8)))
        #expect(!constantTimeEquals(Array("token".utf8), []))
        #expect(!constantTimeEquals([], Array("token".utf8)))
    }

    @Test func comparisonIsCaseSensitive() {
        #expect(!constantTimeEquals(Array("Token".utf8), Array("token".utf8)))
    }
}
