import Foundation

/// One connected client of a QR hub, as the hub sees it.
public protocol QRHubClient: Sendable {
    /// Sends a text message; failures (a vanished peer) are ignored.
    func send(_ text: String) async
    /// Closes the connection with code 1000.
    func close() async
}

/// The QR login hubs of this Auth instance, in memory: one hub per `client_id`, at most two clients
/// (the browser and the phone).
///
/// Hubs are bounded in number per remote address and in total, expire ``Settings/hubLifetime`` after
/// they were opened, and drop a client that has not sent a heartbeat for twice the heartbeat interval.
/// Both clients of a hub must reach the same instance: behind several Auth instances, nginx routes by
/// `client_id` (`hash $arg_client_id consistent`).
public actor QRHubRegistry {
    /// Limits and timings.
    public struct Settings: Sendable {
        public var hubLifetime: Duration = .seconds(120)
        public var heartbeatInterval: Duration = .seconds(30)
        public var clientsPerHub = 2
        public var hubsPerAddress = 20
        public var maxHubs = 100_000

        public init() {}

        /// A client silent for longer than this is dropped.
        public var silenceLimit: Duration { heartbeatInterval * 2 }
    }

    /// The answer to a client that asks to join.
    public enum JoinResult: Equatable, Sendable {
        case joined
        case full
        case rateLimited
        /// The instance holds as many hubs as it may (``Settings/maxHubs``), whatever the address.
        case atCapacity
        /// The client asked to open the hub (it brought a `code_challenge`), but someone else opened it first.
        case alreadyOpen
    }

    struct Member {
        var id: UUID
        var client: any QRHubClient
        var lastSeen: ContinuousClock.Instant
    }

    struct Hub {
        var members: [Member]
        var opened: ContinuousClock.Instant
        /// The member that opened the hub, and what it said about itself. Kept when it leaves, so a grant is
        /// still bound to its challenge and the phone is still shown who asked.
        var openerID: UUID
        var opener: QRHubOpener
    }

    public let settings: Settings
    private var hubs: [String: Hub] = [:]
    private var hubsByAddress: [String: Int] = [:]

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Number of open hubs.
    public var count: Int { hubs.count }

    /// Adds a client to the hub of `clientID`, opening it if needed.
    ///
    /// The client that opens the hub is its opener: its `address`, `device` and `codeChallenge` are kept with
    /// the hub (``opener(of:)``). A client with a `codeChallenge` may only open a hub, never join one.
    /// - Parameters:
    ///   - device: what the client's `User-Agent` says it is (``DeviceSummary``).
    ///   - codeChallenge: the S256 `code_challenge` the client brought, if any.
    public func join(
        clientID: String,
        address: String,
        memberID: UUID,
        client: any QRHubClient,
        device: String = "",
        codeChallenge: String? = nil,
        now: ContinuousClock.Instant = .now
    ) -> JoinResult {
        if var hub = hubs[clientID] {
            guard codeChallenge == nil else { return .alreadyOpen }
            guard hub.members.count < settings.clientsPerHub else { return .full }
            hub.members.append(Member(id: memberID, client: client, lastSeen: now))
            hubs[clientID] = hub
            return .joined
        }
        guard hubs.count < settings.maxHubs else { return .atCapacity }
        guard hubsByAddress[address, default: 0] < settings.hubsPerAddress else { return .rateLimited }
        hubs[clientID] = Hub(
            members: [Member(id: memberID, client: client, lastSeen: now)],
            opened: now,
            openerID: memberID,
            opener: QRHubOpener(address: address, device: device, codeChallenge: codeChallenge)
        )
        hubsByAddress[address, default: 0] += 1
        return .joined
    }

    /// How long the hub of `clientID` stays open from `now`; `nil` when no such hub is open.
    public func remainingLifetime(of clientID: String, now: ContinuousClock.Instant = .now) -> Duration? {
        guard let hub = hubs[clientID] else { return nil }
        return max(.zero, settings.hubLifetime - (now - hub.opened))
    }

    /// Records a heartbeat of a client.
    public func heartbeat(clientID: String, memberID: UUID, now: ContinuousClock.Instant = .now) {
        guard var hub = hubs[clientID], let index = hub.members.firstIndex(where: { $0.id == memberID }) else { return }
        hub.members[index].lastSeen = now
        hubs[clientID] = hub
    }

    /// Removes a client; the hub closes when its last client leaves.
    public func leave(clientID: String, memberID: UUID) {
        guard var hub = hubs[clientID] else { return }
        hub.members.removeAll { $0.id == memberID }
        if hub.members.isEmpty {
            remove(clientID)
        } else {
            hubs[clientID] = hub
        }
    }

    /// Who opened the hub of `clientID`, or `nil` when no such hub is open.
    public func opener(of clientID: String) -> QRHubOpener? {
        hubs[clientID]?.opener
    }

    /// The opener of the hub of `clientID` when it opened it with a `code_challenge`, is still connected, and
    /// `memberID` is another client: the one to tell that a client joined. `nil` otherwise (a seed client hears
    /// nothing new).
    public func boundOpener(of clientID: String, joinedBy memberID: UUID) -> (any QRHubClient)? {
        guard let hub = hubs[clientID], hub.opener.codeChallenge != nil, hub.openerID != memberID else { return nil }
        return hub.members.first { $0.id == hub.openerID }?.client
    }

    /// The clients of a hub.
    public func clients(of clientID: String) -> [any QRHubClient] {
        hubs[clientID]?.members.map(\.client) ?? []
    }

    /// Closes a hub, returning its clients so the caller can tell them and close their connections.
    public func close(_ clientID: String) -> [any QRHubClient] {
        let clients = clients(of: clientID)
        remove(clientID)
        return clients
    }

    /// Finds what has timed out at `now`: silent clients (removed from their hubs) and expired hubs (closed).
    public func sweep(now: ContinuousClock.Instant = .now) -> (silent: [any QRHubClient], expired: [any QRHubClient]) {
        var silent: [any QRHubClient] = []
        var expired: [any QRHubClient] = []
        for (clientID, hub) in hubs {
            if now - hub.opened >= settings.hubLifetime {
                expired += hub.members.map(\.client)
                remove(clientID)
                continue
            }
            let quiet = hub.members.filter { now - $0.lastSeen > settings.silenceLimit }
            guard !quiet.isEmpty else { continue }
            silent += quiet.map(\.client)
            for member in quiet {
                leave(clientID: clientID, memberID: member.id)
            }
        }
        return (silent, expired)
    }

    private func remove(_ clientID: String) {
        guard let hub = hubs.removeValue(forKey: clientID) else { return }
        let remaining = hubsByAddress[hub.opener.address, default: 1] - 1
        hubsByAddress[hub.opener.address] = remaining > 0 ? remaining : nil
    }
}
