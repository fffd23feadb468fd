import Shared
import Synchronization

/// One client's gateway WebSocket: what it may be sent, and the state its deadlines depend on.
///
/// Events reach it from the outbox reader (``ConnectionRegistry/deliver(_:)``) while the connection's
/// own task reads its frames, so its state is behind a lock and its frames go through one queue that a
/// single writer drains in order.
final class GatewayConnection: Sendable {
    /// What the writer sends next.
    enum Outgoing: Sendable, Equatable {
        case text(String)
        /// A close frame with this code and reason; nothing is sent after it.
        case close(code: UInt16, reason: String)
    }

    /// Where a connection is in its life.
    enum Phase: Sendable {
        /// Waiting for `identify` or `resume` until the deadline.
        case connected(deadline: ContinuousClock.Instant)
        /// Identified: events are kept here until READY (or the replay of a resume) has been sent.
        case starting(buffer: [StoredEvent])
        /// Events go straight to the queue.
        case live
        /// A close frame is queued; nothing more is.
        case closed
    }

    struct State {
        var phase: Phase
        var userID: Int64?
        /// The Auth session of the token that identified it (closed when that session is revoked).
        var authSessionID: String?
        /// The gateway session (READY's `session_id`).
        var sessionID: String?
        /// Events at or before this position were already sent (READY's state, or a resume's replay).
        var floor: Int64 = 0
        var lastHeartbeat: ContinuousClock.Instant
        var windowStart: ContinuousClock.Instant
        var framesInWindow = 0
        var queued = 0
    }

    let outgoing: AsyncStream<Outgoing>
    private let continuation: AsyncStream<Outgoing>.Continuation
    private let state: Mutex<State>
    let settings: RealtimeSettings

    init(settings: RealtimeSettings, now: ContinuousClock.Instant = .now) {
        (outgoing, continuation) = AsyncStream.makeStream(of: Outgoing.self)
        self.settings = settings
        state = Mutex(
            State(
                phase: .connected(deadline: now.advanced(by: settings.identifyTimeout)),
                lastHeartbeat: now,
                windowStart: now
            )
        )
    }

    var userID: Int64? { state.withLock { $0.userID } }
    var sessionID: String? { state.withLock { $0.sessionID } }
    var authSessionID: String? { state.withLock { $0.authSessionID } }

    /// Whether `identify` or `resume` may still come.
    var awaitsIdentity: Bool {
        state.withLock {
            if case .connected = $0.phase { return true }
            return false
        }
    }

    /// Queues a frame (dropped once the connection is closing).
    func send(_ text: String) {
        state.withLock { state in
            if case .closed = state.phase { return }
            enqueue(.text(text), in: &state)
        }
    }

    /// Queues an ephemeral frame if the connection is live (a starting one misses it: it is never
    /// replayed anyway).
    func sendIfLive(_ text: String) {
        state.withLock { state in
            guard case .live = state.phase else { return }
            enqueue(.text(text), in: &state)
        }
    }

    /// Queues a close frame; later frames are dropped.
    func close(code: UInt16, reason: String) {
        state.withLock { state in
            if case .closed = state.phase { return }
            state.phase = .closed
            continuation.yield(.close(code: code, reason: reason))
            continuation.finish()
        }
    }

    /// Ends the queue without a close frame (the peer is gone).
    func finish() {
        state.withLock { state in
            state.phase = .closed
            continuation.finish()
        }
    }

    /// Called by the writer after each frame it wrote.
    func didWrite() {
        state.withLock { $0.queued -= 1 }
    }

    /// Queues `item`; past ``RealtimeSettings/maxQueuedFrames`` (unless `bounded` is false, for a
    /// resume's replay) the client is too slow to follow, and is closed instead.
    private func enqueue(_ item: Outgoing, in state: inout State, bounded: Bool = true) {
        if bounded && state.queued >= settings.maxQueuedFrames {
            state.phase = .closed
            continuation.yield(.close(code: GatewayCloseCode.unknownError, reason: "Too far behind, resume"))
            continuation.finish()
            return
        }
        state.queued += 1
        continuation.yield(item)
    }

    /// Becomes `userID`'s: events from now on are buffered until ``goLive(sending:)``.
    func identify(userID: Int64, authSessionID: String, sessionID: String) {
        state.withLock { state in
            guard case .connected = state.phase else { return }
            state.userID = userID
            state.authSessionID = authSessionID
            state.sessionID = sessionID
            state.phase = .starting(buffer: [])
        }
    }

    /// Takes `event` for this connection: buffered while starting, queued when live (as `frame`, its
    /// dispatch as every recipient gets it, unless this connection is owed the event's nonce).
    func deliver(_ event: StoredEvent, frame: String) {
        state.withLock { state in
            switch state.phase {
            case .starting(var buffer):
                state.phase = .live  // the buffer is uniquely owned while it grows
                buffer.append(event)
                state.phase = .starting(buffer: buffer)
            case .live:
                guard event.position > state.floor else { return }
                let owed = event.nonce != nil && event.originSession == state.sessionID
                enqueue(.text(owed ? GatewayFrame.dispatch(event, to: state.sessionID) : frame), in: &state)
            case .connected, .closed:
                break
            }
        }
    }

    /// Sends `frames` (READY, or a replay and RESUMED), then what was buffered after `position`, and
    /// from then on every event after `position` as it comes (the reader may still hand over events the
    /// frames covered: they are dropped).
    func goLive(sending frames: [String], after position: Int64) {
        state.withLock { state in
            guard case .starting(let buffer) = state.phase else { return }
            state.phase = .live
            state.floor = position
            for frame in frames { enqueue(.text(frame), in: &state, bounded: false) }
            for event in buffer where event.position > position {
                enqueue(.text(GatewayFrame.dispatch(event, to: state.sessionID)), in: &state)
            }
        }
    }

    /// Counts a received frame.
    /// - Returns: `false` when the client has sent more than its limit in the current minute.
    func countFrame(now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { state in
            if now - state.windowStart >= .seconds(60) {
                state.windowStart = now
                state.framesInWindow = 0
            }
            state.framesInWindow += 1
            return state.framesInWindow <= settings.framesPerMinute
        }
    }

    /// Records a heartbeat.
    func heartbeat(now: ContinuousClock.Instant = .now) {
        state.withLock { $0.lastHeartbeat = now }
    }

    /// Why this connection must close now, if it must: no identity within the deadline (4003), no
    /// heartbeat for 1.5 intervals (4009), or its session revoked (4004).
    func expiry(now: ContinuousClock.Instant, isRevoked: (String) -> Bool) -> (code: UInt16, reason: String)? {
        state.withLock { state in
            switch state.phase {
            case .connected(let deadline):
                return now >= deadline ? (GatewayCloseCode.notAuthenticated, "Identify first") : nil
            case .closed:
                return nil
            case .starting, .live:
                if let session = state.authSessionID, isRevoked(session) {
                    return (GatewayCloseCode.authenticationFailed, "Session revoked")
                }
                if now - state.lastHeartbeat > settings.heartbeatInterval * 1.5 {
                    return (GatewayCloseCode.sessionTimedOut, "No heartbeat")
                }
                return nil
            }
        }
    }
}

/// The close codes of the gateway WebSocket (Discord's).
enum GatewayCloseCode {
    static let unknownError: UInt16 = 4000
    static let notAuthenticated: UInt16 = 4003
    static let authenticationFailed: UInt16 = 4004
    static let alreadyAuthenticated: UInt16 = 4005
    static let rateLimited: UInt16 = 4008
    static let sessionTimedOut: UInt16 = 4009
}
