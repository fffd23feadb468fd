import Foundation
import Shared
import Testing

@testable import Gateway

@Suite struct BearerTokenTests {
    @Test func acceptsBearerAndBareTokens() {
        #expect(BearerToken.extract(from: "Bearer abc") == "abc")
        #expect(BearerToken.extract(from: "bearer  abc ") == "abc")
        #expect(BearerToken.extract(from: "abc") == "abc")
        #expect(BearerToken.extract(from: "Bearer ") == nil)
        #expect(BearerToken.extract(from: "") == nil)
        #expect(BearerToken.extract(from: nil) == nil)
        #expect(BearerToken.extract(from: "\tBEARER\tabc") == "abc")
        #expect(BearerToken.extract(from: "Bearerabc") == "Bearerabc")
        #expect(BearerToken.extract(from: "bearer") == nil)
    }

    @Test func onlyEdDSAHeadersWithAKeyIDPass() {
        func token(_ header: String) -> String {
            Base64URL.encode(Data(header.utf8)) + ".e30.c2ln"
        }
        #expect(BearerToken.keyID(of: token(#"{"alg":"EdDSA","kid":"k1"}"#)) == "k1")
        #expect(BearerToken.keyID(of: token(#"{"alg":"none","kid":"k1"}"#)) == nil)
        #expect(BearerToken.keyID(of: token(#"{"alg":"HS256","kid":"k1"}"#)) == nil)
        #expect(BearerToken.keyID(of: token(#"{"alg":"EdDSA"}"#)) == nil)
        #expect(BearerToken.keyID(of: "a.b") == nil)
        #expect(BearerToken.keyID(of: Base64URL.encode(Data(#"{"alg":"EdDSA","kid":"k1"}"#.utf8)) + ".e30.") == nil)
    }
}

@Suite struct ProxyRouteTests {
    @Test func mapsPrefixesToServices() {
        #expect(ProxyRoute.match(path: "/auth/login/") == ProxyRoute(upstream: .auth, requiresCaller: false))
        #expect(ProxyRoute.match(path: "/auth/register") == ProxyRoute(upstream: .auth, requiresCaller: false))
        #expect(ProxyRoute.match(path: "/auth/logout/") == ProxyRoute(upstream: .auth, requiresCaller: true))
        #expect(ProxyRoute.match(path: "/users/user/") == ProxyRoute(upstream: .users, requiresCaller: true))
        #expect(ProxyRoute.match(path: "/private/1/messages") == ProxyRoute(upstream: .chat, requiresCaller: true))
    }

    @Test func refusesUnknownAndTraversingPaths() {
        for path in [
            "/internal/keys", "/health", "/users", "/users/../internal/keys", "/users/./x", "/users/%2e%2e/x",
            "/auth/a%2Fb",
        ] {
            #expect(ProxyRoute.match(path: path) == nil, "\(path)")
        }
    }

    @Test func theQRHubInfoGoesToTheHubsInstanceAndNeedsACaller() {
        let hub = ProxyRoute(upstream: .auth, requiresCaller: true, isRoutedByClientID: true)
        #expect(ProxyRoute.match(path: "/auth/qr_auth/hub/") == hub)
        #expect(ProxyRoute.match(path: "/auth/qr_auth/hub") == hub)
        #expect(ProxyRoute.match(path: "/auth/qr_auth/") == ProxyRoute(upstream: .auth, requiresCaller: false))
    }
}

@Suite struct RevocationListTests {
    @Test func remembersRevocationsUntilTokensExpire() {
        let now = Date()
        let list = RevocationList(tokenLifetime: 60)
        #expect(list.cursor == nil)
        list.add([("s1", now), ("s2", now.addingTimeInterval(-120))], cursor: CommitCursor(transactionID: 9), now: now)
        #expect(list.contains("s1"))
        #expect(!list.contains("s2"))
        #expect(list.cursor == CommitCursor(transactionID: 9))
        list.add([], now: now.addingTimeInterval(61))
        #expect(!list.contains("s1"))
    }
}
