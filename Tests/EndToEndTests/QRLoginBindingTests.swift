import Auth
import Foundation
import Messenger
import NIOHTTP1
import NIOWebSocket
import Shared
import TestSupport
import Testing

extension EndToEnd {
    /// The QR hub's binding (issue 12, item 7): a browser that opens its hub with a PKCE `code_challenge` is the
    /// only one that can exchange the hub's `auth_token`; each attack on a hub whose `client_id` leaked, and the
    /// seed's unbound flow, which keeps working.
    @Suite(.timeLimit(.minutes(2))) struct QRLoginBindingTests {
        typealias HubPath = QRLoginTests.HubPath

        /// A desktop Chrome's `User-Agent`.
        static let chromeOnLinux =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

        /// The hub at `hubURL`, opened with the S256 challenge of `verifier`.
        static func bound(_ hubURL: String, verifier: String) -> String {
            hubURL + "&code_challenge=\(PKCE.challenge(for: verifier))&code_challenge_method=S256"
        }

        /// The hub of `clientID`, opened with the S256 challenge of `verifier`.
        static func boundHubURL(_ messenger: RunningMessenger, clientID: String, verifier: String) -> String {
            bound(messenger.hubURL(clientID: clientID), verifier: verifier)
        }

        /// A login whose browser bound its hub with a fresh verifier.
        struct BoundLogin {
            var clientID: String
            var verifier: String
            var conversation: Conversation
        }

        /// The browser binds the hub of `clientID` with a fresh verifier; the phone joins without one and
        /// sends `ticket`.
        static func boundLogin(
            _ messenger: RunningMessenger,
            clientID: String = makeClientID(),
            ticket: String
        ) async throws -> BoundLogin {
            let verifier = PKCE.makeVerifier()
            let conversation = try await converse(
                browserURL: boundHubURL(messenger, clientID: clientID, verifier: verifier),
                phoneURL: messenger.hubURL(clientID: clientID),
                ticket: ticket
            )
            return BoundLogin(clientID: clientID, verifier: verifier, conversation: conversation)
        }

        /// ``boundLogin(_:clientID:ticket:)`` with a ticket bound to the hub, asked for with `phoneToken`.
        static func boundLogin(_ messenger: RunningMessenger, phoneToken: String) async throws -> BoundLogin {
            let clientID = makeClientID()
            let ticket = try await QRLoginTests.ticket(messenger.gateway, token: phoneToken, clientID: clientID)
            return try await boundLogin(messenger, clientID: clientID, ticket: ticket)
        }

        /// What the two clients of one hub heard: every message after their hello, and their close codes.
        struct Conversation {
            var browser: [[String: Any]]
            var phone: [[String: Any]]
            var codes: [WebSocketErrorCode?]

            var browserOps: [String] { browser.compactMap { $0["op"] as? String } }
            var phoneOps: [String] { phone.compactMap { $0["op"] as? String } }
            /// The `access granted` message the browser received.
            var grant: [String: Any]? { browser.first { $0["op"] as? String == "access granted" } }
        }

        /// The browser opens the hub at `browserURL`; once it has its hello, a second client joins at
        /// `phoneURL` and sends `ticket`. Both read until the server closes.
        static func converse(browserURL: String, phoneURL: String, ticket: String) async throws -> Conversation {
            let browserReady = AsyncStream<Void>.makeStream()
            async let browser = {
                defer { browserReady.continuation.finish() }
                return try await withHubConnection(url: browserURL) { hub -> [String] in
                    guard try await hub.nextOp() == "hello" else { return [] }
                    browserReady.continuation.finish()
                    return try await Self.remaining(of: hub)
                }
            }()
            for await _ in browserReady.stream {}
            let phone = try await withHubConnection(url: phoneURL) { hub -> [String] in
                _ = try await hub.next()
                try await hub.send(["op": "pending_ticket", "encrypted_user_payload": ticket])
                return try await Self.remaining(of: hub)
            }
            let browserResult = try await browser
            return Conversation(
                browser: browserResult.result.map(Self.object),
                phone: phone.result.map(Self.object),
                codes: [browserResult.closeCode, phone.closeCode]
            )
        }

        /// Every message of `hub` until the server closes, as JSON text.
        static func remaining(of hub: HubConversation) async throws -> [String] {
            var texts: [String] = []
            while let message = try await hub.next() {
                texts.append(String(decoding: try JSONSerialization.data(withJSONObject: message), as: UTF8.self))
            }
            return texts
        }

        static func object(_ text: String) -> [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        }

        /// The exchange of `authToken` for `clientID`, with `verifier` when given.
        static func exchange(
            _ api: TestHTTP,
            _ method: HTTPMethod = .POST,
            clientID: String,
            authToken: String,
            verifier: String? = nil
        ) async throws -> TestHTTP.Answer {
            let query = verifier.map { "&code_verifier=\($0)" } ?? ""
            return try await api.send(method, "/auth/qr_auth/?client_id=\(clientID)\(query)", token: authToken)
        }

        /// The user id the session of `token` belongs to.
        static func userID(of token: String, _ api: TestHTTP) async throws -> Int? {
            try await api.send(.GET, "/gateway/get-token/", token: token).object["user_id"] as? Int
        }

        @Test(arguments: QRLoginTests.hubPaths)
        func intrudersOwnTicketInABoundHubIsWorthNothingWithoutTheBrowsersVerifier(_ path: HubPath) async throws {
            try await withMessenger(configure: path.configure) { messenger in
                let api = messenger.gateway
                let mallory = try await api.signUp("mallory")
                // Mallory read the client_id off the victim's screen and sends a ticket of her own account.
                let login = try await Self.boundLogin(messenger, phoneToken: mallory.token)
                let (clientID, verifier, outcome) = (login.clientID, login.verifier, login.conversation)
                // The bound browser hears that a second client joined, then whose account was granted.
                #expect(outcome.browserOps == ["client joined", "access granted"])
                #expect(outcome.phoneOps == ["access granted"])
                #expect(outcome.codes == [.normalClosure, .normalClosure])
                let grant = try #require(outcome.grant)
                #expect((grant["user"] as? [String: Any])?["username"] as? String == "mallory")
                let authToken = try #require(grant["auth_token"] as? String)

                // Mallory holds the auth_token too, but not the browser's secret.
                let bare = try await Self.exchange(api, clientID: clientID, authToken: authToken)
                #expect(bare.status == 403)
                #expect(bare.detail == "code_verifier is missing or does not match the code_challenge of this login")
                let guessed = try await Self.exchange(
                    api,
                    .GET,
                    clientID: clientID,
                    authToken: authToken,
                    verifier: PKCE.makeVerifier()
                )
                #expect(guessed.status == 403)
                let malformed = try await Self.exchange(api, clientID: clientID, authToken: authToken, verifier: "x")
                #expect(malformed.status == 422)

                // The failed attempts spent nothing: the browser (which shows "Log in as mallory?" first) still can.
                let browser = try await Self.exchange(api, clientID: clientID, authToken: authToken, verifier: verifier)
                #expect(browser.status == 200)
                let token = try #require(browser.object["token"] as? String)
                #expect(try await Self.userID(of: token, api) == mallory.id)
                let replay = try await Self.exchange(api, clientID: clientID, authToken: authToken, verifier: verifier)
                #expect(replay.status == 401)
            }
        }

        @Test func theAuthTokenThePhoneSeesIsUselessWithoutTheVerifier() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let login = try await Self.boundLogin(messenger, phoneToken: alice.token)
                let (clientID, verifier, outcome) = (login.clientID, login.verifier, login.conversation)
                let phoneGrant = try #require(outcome.phone.first { $0["op"] as? String == "access granted" })
                let authToken = try #require(phoneGrant["auth_token"] as? String)
                #expect(outcome.grant?["auth_token"] as? String == authToken)

                for method in [HTTPMethod.GET, .POST] {
                    let withoutVerifier = try await Self.exchange(api, method, clientID: clientID, authToken: authToken)
                    #expect(withoutVerifier.status == 403)
                    let ownVerifier = try await Self.exchange(
                        api,
                        method,
                        clientID: clientID,
                        authToken: authToken,
                        verifier: PKCE.makeVerifier()
                    )
                    #expect(ownVerifier.status == 403)
                }
                let browser = try await Self.exchange(
                    api,
                    .GET,
                    clientID: clientID,
                    authToken: authToken,
                    verifier: verifier
                )
                #expect(browser.status == 200)
                #expect(try await Self.userID(of: try #require(browser.object["token"] as? String), api) == alice.id)
            }
        }

        @Test func aSeedClientWithoutAChallengeWorksAsBefore() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let clientID = makeClientID()
                // A seed phone asks for an unbound ticket; a seed browser opens the hub with client_id only.
                let ticket = try await QRLoginTests.ticket(api, token: alice.token)
                let outcome = try await Self.converse(
                    browserURL: messenger.hubURL(clientID: clientID),
                    phoneURL: messenger.hubURL(clientID: clientID),
                    ticket: ticket
                )
                // Nothing new is sent to a client that did not bind its hub.
                #expect(outcome.browserOps == ["access granted"])
                #expect(outcome.phoneOps == ["access granted"])
                #expect(outcome.codes == [.normalClosure, .normalClosure])
                let authToken = try #require(outcome.grant?["auth_token"] as? String)
                // A verifier for a hub that was not bound means someone else opened it: refused, nothing spent.
                let unexpected = try await Self.exchange(
                    api,
                    clientID: clientID,
                    authToken: authToken,
                    verifier: PKCE.makeVerifier()
                )
                #expect(unexpected.status == 403)
                let seed = try await Self.exchange(api, .GET, clientID: clientID, authToken: authToken)
                #expect(seed.status == 200)
                #expect(seed.object["type"] as? String == "Bearer")
                #expect(try await Self.exchange(api, .GET, clientID: clientID, authToken: authToken).status == 401)
            }
        }

        @Test func anUnboundTicketWorksOnceAndABoundTicketOnlyInItsOwnHub() async throws {
            try await withMessenger { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let unbound = try await QRLoginTests.ticket(api, token: alice.token)
                let (first, second, third) = (makeClientID(), makeClientID(), makeClientID())
                let bound = try await QRLoginTests.ticket(api, token: alice.token, clientID: third)

                let granted = try await Self.boundLogin(messenger, clientID: first, ticket: unbound).conversation
                #expect(granted.phoneOps == ["access granted"])

                let answer = try await withHubConnection(url: messenger.hubURL(clientID: second)) { hub in
                    _ = try await hub.next()
                    var details: [String] = []
                    for ticket in [unbound, bound] {
                        try await hub.send(["op": "pending_ticket", "encrypted_user_payload": ticket])
                        details.append(try await hub.next()?["detail"] as? String ?? "")
                    }
                    try await hub.close()
                    return details
                }
                #expect(answer.result == ["Ticket was already used", "Ticket was issued for another client_id"])

                let own = try await Self.boundLogin(messenger, clientID: third, ticket: bound).conversation
                #expect(own.phoneOps == ["access granted"])
            }
        }

        @Test(arguments: QRLoginTests.hubPaths) func malformedChallengesAreRefused(_ path: HubPath) async throws {
            try await withMessenger(configure: path.configure) { messenger in
                let challenge = PKCE.challenge(for: PKCE.makeVerifier())
                let queries = [
                    "&code_challenge=short&code_challenge_method=S256",
                    "&code_challenge=\(challenge)&code_challenge_method=plain",
                    "&code_challenge=\(challenge)",
                    "&code_challenge_method=S256",
                    "&code_challenge=\(String(challenge.dropLast()))%2B&code_challenge_method=S256",
                ]
                for query in queries {
                    let answer = try await withHubConnection(url: messenger.hubURL(clientID: makeClientID()) + query) {
                        hub in
                        try await hub.next()?["detail"] as? String
                    }
                    #expect(answer.result?.hasPrefix("code_challenge must be") == true, "\(query)")
                    #expect(answer.closeCode == .normalClosure, "\(query)")
                }
            }
        }

        @Test(arguments: QRLoginTests.hubPaths) func aChallengeCannotJoinAHubSomeoneElseOpened(
            _ path: HubPath
        ) async throws {
            try await withMessenger(configure: path.configure) { messenger in
                let clientID = makeClientID()
                let browserURL = Self.boundHubURL(messenger, clientID: clientID, verifier: PKCE.makeVerifier())
                // The intruder opens the hub first (they learned the client_id before the browser joined).
                let intruder = try await withHeldHubConnection(url: messenger.hubURL(clientID: clientID)) {
                    try await withHubConnection(url: browserURL) { hub in try await hub.next()?["detail"] as? String }
                }
                let browser = intruder.result
                #expect(intruder.firstOp == "hello")
                #expect(browser.result == "This client_id is already in use, make a new one")
                #expect(browser.closeCode == .normalClosure)
            }
        }

        @Test(arguments: QRLoginTests.hubPaths) func thePhoneIsShownWhichDeviceAndAddressOpenedTheHub(
            _ path: HubPath
        )
            async throws
        {
            try await withMessenger(configure: path.configure) { messenger in
                let api = messenger.gateway
                let alice = try await api.signUp("alice")
                let clientID = makeClientID()
                let url = Self.boundHubURL(messenger, clientID: clientID, verifier: PKCE.makeVerifier())
                let browser = try await withHeldHubConnection(url: url, userAgent: Self.chromeOnLinux) {
                    let info = try await api.send(.GET, "/auth/qr_auth/hub/?client_id=\(clientID)", token: alice.token)
                    let anonymous = try await api.send(.GET, "/auth/qr_auth/hub/?client_id=\(clientID)")
                    let unknown = try await api.send(
                        .GET,
                        "/auth/qr_auth/hub?client_id=\(makeClientID())",
                        token: alice.token
                    )
                    let malformed = try await api.send(.GET, "/auth/qr_auth/hub/?client_id=x", token: alice.token)
                    return (info, anonymous, unknown, malformed)
                }
                let (info, anonymous, unknown, malformed) = browser.result
                #expect(browser.firstOp == "hello")

                #expect(info.status == 200)
                #expect(info.object["device"] as? String == "Chrome on Linux")
                #expect(info.object["address"] as? String == "127.0.0.1")
                #expect(anonymous.status == 401)
                #expect(unknown.status == 404)
                #expect(unknown.detail == "No login is waiting for this client_id")
                #expect(malformed.status == 422)
            }
        }
    }
}
