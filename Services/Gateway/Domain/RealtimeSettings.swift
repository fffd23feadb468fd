import Shared

/// The gateway WebSocket's timings and limits.
public struct RealtimeSettings: Sendable {
    /// How often a client must send a heartbeat; one silent for 1.5 intervals is closed (4009).
    public var heartbeatInterval: Duration
    /// How long a new connection may take to identify or resume (4003 after).
    public var identifyTimeout: Duration = .seconds(10)
    /// Most frames a client may send per minute (4008 beyond).
    public var framesPerMinute: Int
    /// Every event stays resumable at least this long...
    public var retention: Duration
    /// ...and each user's newest this many, however old.
    public var keptPerUser: Int
    /// How long a gateway session can be resumed at most.
    public var sessionLifetime: Duration = .seconds(86_400)
    /// Frames waiting for a slow client beyond this close its connection (4000: it resumes and catches up).
    public var maxQueuedFrames: Int = 4096
    /// How often the gateway looks at the outbox without a notification (one may be lost while the
    /// listening connection reconnects), and checks deadlines and revocations.
    public var tick: Duration = .seconds(1)
    /// How often what no resume needs is pruned.
    public var pruneInterval: Duration = .seconds(60)

    public init(heartbeatInterval: Duration, framesPerMinute: Int, retention: Duration, keptPerUser: Int) {
        self.heartbeatInterval = heartbeatInterval
        self.framesPerMinute = framesPerMinute
        self.retention = retention
        self.keptPerUser = keptPerUser
    }

    public init(config: MessengerConfig) {
        self.init(
            heartbeatInterval: .milliseconds(config.gatewayHeartbeatInterval),
            framesPerMinute: config.gatewayFramesPerMinute,
            retention: .seconds(config.eventsRetention),
            keptPerUser: config.eventsKeptPerUser
        )
        identifyTimeout = .milliseconds(config.gatewayIdentifyTimeout)
    }

    /// The heartbeat interval in milliseconds, as `hello` states it.
    var heartbeatMilliseconds: Int {
        let (seconds, attoseconds) = heartbeatInterval.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
