import Synchronization
import SwitchyardGuard

/// The bounded queue between the callers' threads and the background flush.
///
/// Appending takes a short lock and never waits for the network; beyond the bound the oldest
/// events are dropped and counted. Exposures are deduplicated here, per unit, flag and variant,
/// within a window that the flush restarts when it is over.
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
        var windowStart: Int64

        mutating func append(_ event: PendingEvent) -> Int {
            if buffer.append(event) { dropped += 1 }
            return buffer.count
        }
    }

    /// The most exposure keys remembered in one window; the window restarts when it is reached.
    static let maximumRememberedExposures = 100_000

    let capacity: Int
    let exposureWindowMs: Int64
    private let state: Mutex<State>

    init(capacity: Int, exposureWindow: Duration) {
        self.capacity = max(1, capacity)
        exposureWindowMs = max(1, exposureWindow.milliseconds)
        state = Mutex(State(buffer: RingBuffer(capacity: max(1, capacity)), windowStart: Timestamp.now().millisecondsSinceEpoch))
    }

    /// Appends an event, dropping the oldest when full; returns how many events are queued.
    @discardableResult
    func append(_ event: PendingEvent) -> Int {
        state.withLock { $0.append(event) }
    }

    /// Appends an exposure unless the unit was already exposed to this variant in the current
    /// window; returns how many events are queued. A repeated exposure costs a set lookup: no
    /// clock read, no event built.
    @discardableResult
    func appendExposure(flag: String, variant: String, reason: String, unitKey: String) -> Int {
        let key = ExposureKey(flag: flag, variant: variant, unitKey: unitKey)
        return state.withLock { state in
            if state.exposuresSeen.count >= Self.maximumRememberedExposures { state.exposuresSeen.removeAll(keepingCapacity: true) }
            guard state.exposuresSeen.insert(key).inserted else { return state.buffer.count }
            return state.append(.event(.exposure(ExposureEvent(flag: flag, variant: variant, reason: reason, unitKey: unitKey, timestamp: .now()))))
        }
    }

    /// Starts a new deduplication window once the current one is over; called by the flush.
    func expireExposures(now: Timestamp) {
        state.withLock { state in
            guard now.millisecondsSinceEpoch - state.windowStart >= exposureWindowMs else { return }
            state.exposuresSeen.removeAll(keepingCapacity: true)
            state.windowStart = now.millisecondsSinceEpoch
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
