import Synchronization
import SwitchyardCore
import SwitchyardGuard

/// The bounded queue between the callers' threads and the background flush.
///
/// Appending takes a short lock and never waits for the network; beyond the bound the oldest
/// events are dropped and counted. Exposures are deduplicated before they reach it, per unit, flag
/// and variant, in ``exposures``, whose window the flush restarts when it is over.
final class EventQueue: Sendable {
    private struct State {
        var buffer: RingBuffer<PendingEvent>
        var dropped = 0
        var windowStart: Int64

        mutating func append(_ event: PendingEvent) -> Int {
            if buffer.append(event) { dropped += 1 }
            return buffer.count
        }
    }

    let capacity: Int
    let exposureWindowMs: Int64
    private let state: Mutex<State>
    /// The exposures of the current window, which evaluations consult before appending one.
    let exposures: ExposureMemory

    init(capacity: Int, exposureWindow: Duration) {
        self.capacity = max(1, capacity)
        exposureWindowMs = max(1, exposureWindow.milliseconds)
        state = Mutex(State(buffer: RingBuffer(capacity: max(1, capacity)), windowStart: Timestamp.now().millisecondsSinceEpoch))
        exposures = ExposureMemory()
    }

    /// Appends an event, dropping the oldest when full; returns how many events are queued.
    @discardableResult
    func append(_ event: PendingEvent) -> Int {
        state.withLock { $0.append(event) }
    }

    /// Starts a new deduplication window once the current one is over; called by the flush.
    func expireExposures(now: Timestamp) {
        let expired = state.withLock { state in
            guard now.millisecondsSinceEpoch - state.windowStart >= exposureWindowMs else { return false }
            state.windowStart = now.millisecondsSinceEpoch
            return true
        }
        if expired { exposures.startWindow() }
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
