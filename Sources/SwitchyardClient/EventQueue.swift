import Synchronization
import SwitchyardGuard

/// The bounded queue between the callers' threads and the background flush.
///
/// Appending takes a short lock and never waits for the network; beyond the bound the oldest
/// events are dropped and counted. Exposures are deduplicated here, per unit, flag and variant,
/// within a window.
final class EventQueue: Sendable {
    private struct ExposureKey: Hashable {
        var flag: String
        var variant: String
        var unitKey: String
    }

    private struct State {
        var buffer: RingBuffer<PendingEvent>
        var dropped = 0
        var exposuresSeen: Set<ExposureKey> = []
        var windowStart: Int64 = 0
    }

    /// The most exposure keys remembered in one window; the window restarts when it is reached.
    static let maximumRememberedExposures = 100_000

    let capacity: Int
    let exposureWindowMs: Int64
    private let state: Mutex<State>

    init(capacity: Int, exposureWindow: Duration) {
        self.capacity = max(1, capacity)
        exposureWindowMs = max(1, exposureWindow.milliseconds)
        state = Mutex(State(buffer: RingBuffer(capacity: max(1, capacity))))
    }

    /// Appends an event, dropping the oldest when full; returns how many events are queued.
    @discardableResult
    func append(_ event: PendingEvent) -> Int {
        state.withLock { state in
            if state.buffer.append(event) { state.dropped += 1 }
            return state.buffer.count
        }
    }

    /// Appends an exposure unless the unit was already exposed to this variant in the window;
    /// returns how many events are queued.
    @discardableResult
    func appendExposure(_ exposure: ExposureEvent) -> Int {
        let key = ExposureKey(flag: exposure.flag, variant: exposure.variant, unitKey: exposure.unitKey)
        let now = exposure.timestamp.millisecondsSinceEpoch
        return state.withLock { state in
            if now - state.windowStart >= exposureWindowMs || state.exposuresSeen.count >= Self.maximumRememberedExposures {
                state.exposuresSeen.removeAll(keepingCapacity: true)
                state.windowStart = now
            }
            guard state.exposuresSeen.insert(key).inserted else { return state.buffer.count }
            if state.buffer.append(.event(.exposure(exposure))) { state.dropped += 1 }
            return state.buffer.count
        }
    }

    /// Removes and returns up to `limit` of the oldest events, and how many were dropped since the
    /// last call.
    func take(_ limit: Int) -> (events: [PendingEvent], dropped: Int) {
        state.withLock { state in
            let events = state.buffer.removeFirst(limit)
            let dropped = state.dropped
            state.dropped = 0
            return (events, dropped)
        }
    }

    /// How many events are queued.
    var count: Int { state.withLock { $0.buffer.count } }
}
