import Synchronization
import SwitchyardCore
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
    /// The number of the current deduplication window, unique across the process's queues, so
    /// threads can tell when what they remember (``ThreadExposures``) is out of date.
    private let window: Atomic<Int>

    private static let windowNumbers = Atomic<Int>(0)

    private static func nextWindow() -> Int {
        windowNumbers.wrappingAdd(1, ordering: .relaxed).newValue
    }

    init(capacity: Int, exposureWindow: Duration) {
        self.capacity = max(1, capacity)
        exposureWindowMs = max(1, exposureWindow.milliseconds)
        state = Mutex(State(buffer: RingBuffer(capacity: max(1, capacity)), windowStart: Timestamp.now().millisecondsSinceEpoch))
        window = Atomic(Self.nextWindow())
    }

    /// Appends an event, dropping the oldest when full; returns how many events are queued.
    @discardableResult
    func append(_ event: PendingEvent) -> Int {
        state.withLock { $0.append(event) }
    }

    /// Appends an exposure unless the unit was already exposed to this variant in the current
    /// window; returns how many events are queued, or `nil` when the exposure was a repeat. A
    /// repeat seen before on the same thread costs a table read, without the lock; any other
    /// repeat a set lookup under it. Neither reads the clock or builds an event.
    /// - Parameters:
    ///   - flagHash: `keyHash(flag)`, which the evaluation already computed.
    ///   - unitHash: `keyHash(unitKey)`, which the evaluation context holds.
    ///   - memory: the calling thread's exposures, from its ``ThreadMemory``.
    func appendExposure(
        flag: String, flagHash: UInt64, variant: String, reason: EvaluationReason, unitKey: String, unitHash: UInt64,
        remembering memory: ThreadExposures
    ) -> Int? {
        let fingerprint = (flagHash &* 0x9E37_79B9_7F4A_7C15 ^ unitHash) &* 0xBF58_476D_1CE4_E5B9
        let window = window.load(ordering: .acquiring)
        if memory.contains(fingerprint, variant: variant, window: window) { return nil }
        let key = ExposureKey(flag: flag, variant: variant, unitKey: unitKey)
        let queued = state.withLock { state -> Int? in
            if state.exposuresSeen.count >= Self.maximumRememberedExposures { startWindow(&state) }
            guard state.exposuresSeen.insert(key).inserted else { return nil }
            let exposure = ExposureEvent(flag: flag, variant: variant, reason: reason.rawValue, unitKey: unitKey, timestamp: .now())
            return state.append(.event(.exposure(exposure)))
        }
        memory.record(fingerprint, variant: variant, window: window)
        return queued
    }

    /// Forgets every exposure seen: threads' memories of the old window no longer match.
    private func startWindow(_ state: inout State) {
        state.exposuresSeen.removeAll(keepingCapacity: true)
        window.store(Self.nextWindow(), ordering: .releasing)
    }

    /// Starts a new deduplication window once the current one is over; called by the flush.
    func expireExposures(now: Timestamp) {
        state.withLock { state in
            guard now.millisecondsSinceEpoch - state.windowStart >= exposureWindowMs else { return }
            startWindow(&state)
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
