import Foundation
import Testing

@testable import Auth

/// A hub client that records what it was sent.
actor RecordingHubClient: QRHubClient {
    private(set) var sent: [String] = []
    private(set) var isClosed = false

    func send(_ text: String) async {
        sent.append(text)
    }

    func close() async {
        isClosed = true
    }
}

@Suite struct QRHubRegistryTests {
    static func settings() -> QRHubRegistry.Settings {
        var settings = QRHubRegistry.Settings()
        settings.hubLifetime = .seconds(120)
        settings.heartbeatInterval = .seconds(30)
        settings.hubsPerAddress = 2
        return settings
    }

    @Test func aHubHoldsTwoClients() async {
        let hubs = QRHubRegistry(settings: Self.settings())
        let now = ContinuousClock.now
        #expect(
            await hubs.join(clientID: "c", address: "a", memberID: UUID(), client: RecordingHubClient(), now: now)
                == .joined
        )
        #expect(
            await hubs.join(clientID: "c", address: "b", memberID: UUID(), client: RecordingHubClient(), now: now)
                == .joined
        )
        #expect(
            await hubs.join(clientID: "c", address: "b", memberID: UUID(), client: RecordingHubClient(), now: now)
                == .full
        )
        #expect(await hubs.count == 1)
    }

    @Test func hubsPerAddressAreLimitedAndFreedWhenClosed() async {
        let hubs = QRHubRegistry(settings: Self.settings())
        let member = UUID()
        #expect(await hubs.join(clientID: "1", address: "a", memberID: member, client: RecordingHubClient()) == .joined)
        #expect(await hubs.join(clientID: "2", address: "a", memberID: UUID(), client: RecordingHubClient()) == .joined)
        #expect(
            await hubs.join(clientID: "3", address: "a", memberID: UUID(), client: RecordingHubClient()) == .rateLimited
        )
        #expect(
            await hubs.join(clientID: "3", address: "other", memberID: UUID(), client: RecordingHubClient()) == .joined
        )
        await hubs.leave(clientID: "1", memberID: member)
        #expect(await hubs.join(clientID: "4", address: "a", memberID: UUID(), client: RecordingHubClient()) == .joined)
    }

    @Test func theWholeInstanceHasACapOfItsOwn() async {
        var settings = Self.settings()
        settings.maxHubs = 2
        let hubs = QRHubRegistry(settings: settings)
        #expect(await hubs.join(clientID: "1", address: "a", memberID: UUID(), client: RecordingHubClient()) == .joined)
        #expect(await hubs.join(clientID: "2", address: "b", memberID: UUID(), client: RecordingHubClient()) == .joined)
        #expect(
            await hubs.join(clientID: "3", address: "c", memberID: UUID(), client: RecordingHubClient()) == .atCapacity
        )
    }

    @Test func aHubToldItsRemainingLifetime() async {
        let hubs = QRHubRegistry(settings: Self.settings())
        let start = ContinuousClock.now
        _ = await hubs.join(clientID: "c", address: "a", memberID: UUID(), client: RecordingHubClient(), now: start)
        #expect(await hubs.remainingLifetime(of: "c", now: start) == .seconds(120))
        #expect(await hubs.remainingLifetime(of: "c", now: start + .seconds(90)) == .seconds(30))
        #expect(await hubs.remainingLifetime(of: "c", now: start + .seconds(200)) == .zero)
        #expect(await hubs.remainingLifetime(of: "other", now: start) == nil)
    }

    @Test func hubsExpireAfterTheirLifetime() async {
        let hubs = QRHubRegistry(settings: Self.settings())
        let start = ContinuousClock.now
        let client = RecordingHubClient()
        let member = UUID()
        _ = await hubs.join(clientID: "c", address: "a", memberID: member, client: client, now: start)
        await hubs.heartbeat(clientID: "c", memberID: member, now: start + .seconds(100))
        let early = await hubs.sweep(now: start + .seconds(119))
        #expect(early.expired.isEmpty && early.silent.isEmpty)
        let swept = await hubs.sweep(now: start + .seconds(120))
        #expect(swept.expired.count == 1)
        #expect(await hubs.count == 0)
    }

    @Test func silentClientsAreDroppedAndHeartbeatsKeepThem() async {
        let hubs = QRHubRegistry(settings: Self.settings())
        let start = ContinuousClock.now
        let talker = UUID()
        _ = await hubs.join(clientID: "c", address: "a", memberID: talker, client: RecordingHubClient(), now: start)
        _ = await hubs.join(clientID: "c", address: "a", memberID: UUID(), client: RecordingHubClient(), now: start)
        await hubs.heartbeat(clientID: "c", memberID: talker, now: start + .seconds(50))
        let swept = await hubs.sweep(now: start + .seconds(61))
        #expect(swept.silent.count == 1)
        #expect(await hubs.clients(of: "c").count == 1)
    }

    @Test func closingAHubReturnsItsClients() async {
        let hubs = QRHubRegistry(settings: Self.settings())
        _ = await hubs.join(clientID: "c", address: "a", memberID: UUID(), client: RecordingHubClient())
        _ = await hubs.join(clientID: "c", address: "a", memberID: UUID(), client: RecordingHubClient())
        #expect(await hubs.close("c").count == 2)
        #expect(await hubs.count == 0)
        #expect(await hubs.close("c").isEmpty)
    }

    @Test func theOpenerIsRememberedWithItsChallengeEvenAfterItLeaves() async {
        let hubs = QRHubRegistry(settings: Self.settings())
        let opener = UUID()
        let joined = await hubs.join(
            clientID: "c",
            address: "203.0.113.7",
            memberID: opener,
            client: RecordingHubClient(),
            device: "Chrome on Linux",
            codeChallenge: "challenge"
        )
        #expect(joined == .joined)
        _ = await hubs.join(clientID: "c", address: "198.51.100.1", memberID: UUID(), client: RecordingHubClient())
        let expected = QRHubOpener(address: "203.0.113.7", device: "Chrome on Linux", codeChallenge: "challenge")
        #expect(await hubs.opener(of: "c") == expected)
        await hubs.leave(clientID: "c", memberID: opener)
        #expect(await hubs.opener(of: "c") == expected)
        #expect(await hubs.opener(of: "other") == nil)
    }

    @Test func aClientWithAChallengeMayOnlyOpenAHub() async {
        let hubs = QRHubRegistry(settings: Self.settings())
        _ = await hubs.join(clientID: "c", address: "a", memberID: UUID(), client: RecordingHubClient())
        let late = await hubs.join(
            clientID: "c",
            address: "a",
            memberID: UUID(),
            client: RecordingHubClient(),
            codeChallenge: "challenge"
        )
        #expect(late == .alreadyOpen)
        #expect(await hubs.clients(of: "c").count == 1)
        #expect(await hubs.opener(of: "c")?.codeChallenge == nil)
    }

    @Test func onlyABoundOpenerIsToldThatAClientJoined() async {
        let hubs = QRHubRegistry(settings: Self.settings())
        let (opener, phone) = (UUID(), UUID())
        let browser = RecordingHubClient()
        _ = await hubs.join(clientID: "b", address: "a", memberID: opener, client: browser, codeChallenge: "challenge")
        _ = await hubs.join(clientID: "b", address: "a", memberID: phone, client: RecordingHubClient())
        #expect(await hubs.boundOpener(of: "b", joinedBy: opener) == nil)
        await hubs.boundOpener(of: "b", joinedBy: phone)?.send("joined")
        #expect(await browser.sent == ["joined"])
        await hubs.leave(clientID: "b", memberID: opener)
        #expect(await hubs.boundOpener(of: "b", joinedBy: phone) == nil)

        let seed = UUID()
        _ = await hubs.join(clientID: "s", address: "a", memberID: seed, client: RecordingHubClient())
        let second = UUID()
        _ = await hubs.join(clientID: "s", address: "a", memberID: second, client: RecordingHubClient())
        #expect(await hubs.boundOpener(of: "s", joinedBy: second) == nil)
    }
}
