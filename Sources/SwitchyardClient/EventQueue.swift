import Synchronization
import SwitchyardCore
import SwitchyardGuard

/// The bounded queue between the callers' threads and the background flush.
///
/// Appending takes a short lock and never waits for the network; beyond the bound the oldest
/// events are dropped and counted. Exposures are deduplicated before the lock, per unit, flag and
/// variant, within a window that the flush restarts when it is over (see ``ExposureMemory``).
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
    private let exposures: ExposureMemory

    /// One unit and flag's place in the exposure memory.
    struct ExposureSlot {
        fileprivate let line: Int
        fileprivate let pairHash: UInt64
    }

    init(capacity: Int, exposureWindow: Duration, exposureSlots: Int = ExposureMemory.defaultSlotCount) {
        self.capacity = max(1, capacity)
        exposureWindowMs = max(1, exposureWindow.milliseconds)
        state = Mutex(State(buffer: RingBuffer(capacity: max(1, capacity)), windowStart: Timestamp.now().millisecondsSinceEpoch))
        exposures = ExposureMemory(slotCount: exposureSlots)
    }

    /// Appends an event, dropping the oldest when full; returns how many events are queued.
    @discardableResult
    func append(_ event: PendingEvent) -> Int {
        state.withLock { $0.append(event) }
    }

    /// Where the exposures of `unitHash` to `flagHash` are remembered, already on its way into
    /// the cache; pass it to ``recordExposure(_:variantHash:)``.
    @inline(__always)
    func exposureSlot(flagHash: UInt64, unitHash: UInt64) -> ExposureSlot {
        let slot = ExposureSlot(line: exposures.line(flagHash: flagHash, unitHash: unitHash), pairHash: flagHash &* 0x9E37_79B9_7F4A_7C15 ^ unitHash)
        exposures.prefetch(slot.line)
        return slot
    }

    /// Remembers that the unit of `slot` was exposed to the variant of `variantHash`; returns
    /// whether that is new in the current window, and so should be appended. A repeat costs a
    /// read of one cache line: no string, no lock, no clock.
    @inline(__always)
    func recordExposure(_ slot: ExposureSlot, variantHash: UInt64) -> Bool {
        exposures.record((slot.pairHash &* 0xBF58_476D_1CE4_E5B9 ^ variantHash) &* 0x94D0_49BB_1331_11EB, in: slot.line)
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
