import Testing

@testable import Gateway

/// How events reach connections inside one gateway: only their recipients', once, in order, after READY.
@Suite struct ConnectionRegistryTests {
    static let settings = RealtimeSettings(
        heartbeatInterval: .seconds(10),
        framesPerMinute: 5,
        retention: .seconds(300),
        keptPerUser: 2048
    )

    static func event(_ position: Int64, to recipients: [Int64]) -> StoredEvent {
        StoredEvent(
            position: position,
            type: "MESSAGE_CREATE",
            recipients: recipients,
            payload: #"{"id":\#(position)}"#,
            originSession: nil,
            nonce: nil
        )
    }

    /// The frames queued on `connection` so far (it is finished first, so the stream ends).
    static func frames(of connection: GatewayConnection) async -> [GatewayConnection.Outgoing] {
        connection.finish()
        var frames: [GatewayConnection.Outgoing] = []
        for await frame in connection.outgoing { frames.append(frame) }
        return frames
    }

    static func live(_ registry: ConnectionRegistry, user: Int64, session: String = "s") -> GatewayConnection {
        let connection = GatewayConnection(settings: settings)
        registry.add(connection)
        connection.identify(userID: user, authSessionID: "auth-\(user)", sessionID: session)
        let position = registry.subscribe(connection, userID: user)
        connection.goLive(sending: ["READY"], after: position)
        return connection
    }

    @Test func eventsGoToTheirRecipientsOnlyInOrderAndOnce() async {
        let registry = ConnectionRegistry()
        registry.start(at: 10)
        let alice = Self.live(registry, user: 1)
        let aliceElsewhere = Self.live(registry, user: 1)
        let bob = Self.live(registry, user: 2)
        let carol = Self.live(registry, user: 3)
        registry.deliver([Self.event(11, to: [1, 2]), Self.event(12, to: [2])])
        // Read again (a later page overlapping the first): nothing twice, nothing at or before the start.
        registry.deliver([Self.event(9, to: [1, 2, 3]), Self.event(12, to: [2]), Self.event(13, to: [1])])
        let first = #"{"op":"dispatch","d":{"id":11},"s":11,"t":"MESSAGE_CREATE"}"#
        let second = #"{"op":"dispatch","d":{"id":12},"s":12,"t":"MESSAGE_CREATE"}"#
        let third = #"{"op":"dispatch","d":{"id":13},"s":13,"t":"MESSAGE_CREATE"}"#
        #expect(await Self.frames(of: alice) == [.text("READY"), .text(first), .text(third)])
        #expect(await Self.frames(of: aliceElsewhere) == [.text("READY"), .text(first), .text(third)])
        #expect(await Self.frames(of: bob) == [.text("READY"), .text(first), .text(second)])
        #expect(await Self.frames(of: carol) == [.text("READY")])
        #expect(registry.position == 13)
    }

    @Test func eventsWhileStartingWaitForReadyAndThoseItCoversAreDropped() async {
        let registry = ConnectionRegistry()
        registry.start(at: 5)
        let connection = GatewayConnection(settings: Self.settings)
        registry.add(connection)
        connection.identify(userID: 1, authSessionID: "a", sessionID: "s")
        let position = registry.subscribe(connection, userID: 1)
        registry.deliver([Self.event(6, to: [1]), Self.event(7, to: [1])])
        // A resume that replayed through 6 goes live after it: 7 follows the replay.
        connection.goLive(sending: ["replayed 6", "RESUMED"], after: 6)
        #expect(position == 5)
        #expect(
            await Self.frames(of: connection) == [
                .text("replayed 6"), .text("RESUMED"),
                .text(#"{"op":"dispatch","d":{"id":7},"s":7,"t":"MESSAGE_CREATE"}"#),
            ]
        )
    }

    @Test func aRemovedConnectionGetsNothingMore() async {
        let registry = ConnectionRegistry()
        let connection = Self.live(registry, user: 1)
        registry.remove(connection)
        registry.deliver([Self.event(1, to: [1])])
        #expect(await Self.frames(of: connection) == [.text("READY")])
        #expect(registry.count == 0)
    }

    @Test func aClientTooFarBehindIsClosed() async {
        var settings = Self.settings
        settings.maxQueuedFrames = 3
        let registry = ConnectionRegistry()
        let connection = GatewayConnection(settings: settings)
        connection.identify(userID: 1, authSessionID: "a", sessionID: "s")
        connection.goLive(sending: [], after: registry.subscribe(connection, userID: 1))
        registry.deliver((1...5).map { Self.event($0, to: [1]) })
        let frames = await Self.frames(of: connection)
        #expect(frames.count == 4)
        #expect(frames.last == .close(code: 4000, reason: "Too far behind, resume"))
    }

    @Test func deadlinesCloseWithTheirCodes() {
        let start = ContinuousClock.now
        let waiting = GatewayConnection(settings: Self.settings, now: start)
        #expect(waiting.expiry(now: start + .seconds(9), isRevoked: { _ in false }) == nil)
        #expect(waiting.expiry(now: start + .seconds(10), isRevoked: { _ in false })?.code == 4003)

        let silent = GatewayConnection(settings: Self.settings, now: start)
        silent.identify(userID: 1, authSessionID: "a", sessionID: "s")
        silent.heartbeat(now: start)
        #expect(silent.expiry(now: start + .seconds(15), isRevoked: { _ in false }) == nil)
        #expect(silent.expiry(now: start + .seconds(16), isRevoked: { _ in false })?.code == 4009)
        #expect(silent.expiry(now: start + .seconds(1), isRevoked: { $0 == "a" })?.code == 4004)
    }

    @Test func aFloodIsCountedPerMinute() {
        let start = ContinuousClock.now
        let connection = GatewayConnection(settings: Self.settings, now: start)
        #expect((1...5).allSatisfy { _ in connection.countFrame(now: start) })
        #expect(!connection.countFrame(now: start + .seconds(59)))
        #expect(connection.countFrame(now: start + .seconds(61)))
    }

    @Test func typingIsLimitedPerUserAndChat() {
        let limiter = TypingLimiter(interval: .seconds(5))
        let start = ContinuousClock.now
        #expect(limiter.allows(userID: 1, chatID: 1, now: start))
        #expect(!limiter.allows(userID: 1, chatID: 1, now: start + .seconds(4)))
        #expect(limiter.allows(userID: 1, chatID: 2, now: start + .seconds(4)))
        #expect(limiter.allows(userID: 2, chatID: 1, now: start + .seconds(4)))
        #expect(limiter.allows(userID: 1, chatID: 1, now: start + .seconds(5)))
    }
}
