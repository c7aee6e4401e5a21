import Synchronization
import SwitchyardCore
import SwitchyardGuard

/// The bounded queue between the callers' threads and the background flush.
///
/// Appending takes a short lock and never waits for the network; beyond the bound the oldest
/// events are dropped and counted. Exposures are deduplicated before they reach it (see
/// ``ExposureMemory``).
final class EventQueue: Sendable {
    private struct State {
        var buffer: RingBuffer<PendingEvent>
        var dropped = 0

        mutating func append(_ event: PendingEvent) -> Int {
            if buffer.append(event) { dropped += 1 }
            return buffer.count
        }
    }

    let capacity: Int
    private let state: Mutex<State>

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        state = Mutex(State(buffer: RingBuffer(capacity: max(1, capacity))))
    }

    /// Appends an event, dropping the oldest when full; returns how many events are queued.
    @discardableResult
    func append(_ event: PendingEvent) -> Int {
        state.withLock { $0.append(event) }
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
