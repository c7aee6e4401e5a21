/// One thread's memory of the exposures it queued in the current deduplication window: a
/// direct-mapped table, indexed by a fingerprint of flag and unit, of the variant each was exposed
/// to. Only its own thread touches it, so an evaluation that repeats an exposure recognises it
/// without the queue's lock. A miss (first sight, another window, another variant, or a slot taken
/// by another fingerprint) falls back to the queue's exact set.
final class ThreadExposures {
    static let slotCount = 1024

    private let fingerprints = UnsafeMutablePointer<UInt64>.allocate(capacity: ThreadExposures.slotCount)
    private let variants = UnsafeMutablePointer<String>.allocate(capacity: ThreadExposures.slotCount)
    /// The window the slots belong to; windows are numbered across every queue of the process.
    private var window = 0

    init() {
        fingerprints.initialize(repeating: 0, count: Self.slotCount)
        variants.initialize(repeating: "", count: Self.slotCount)
    }

    deinit {
        fingerprints.deallocate()
        variants.deinitialize(count: Self.slotCount)
        variants.deallocate()
    }

    /// Whether this thread recorded the unit of `fingerprint` as exposed to `variant` in `window`.
    @inline(__always)
    func contains(_ fingerprint: UInt64, variant: String, window: Int) -> Bool {
        let slot = Int(truncatingIfNeeded: fingerprint) & (Self.slotCount - 1)
        return window == self.window && fingerprints[slot] == fingerprint && variants[slot] == variant
    }

    /// Records the unit of `fingerprint` as exposed to `variant` in `window`, forgetting what
    /// belonged to an earlier window.
    func record(_ fingerprint: UInt64, variant: String, window: Int) {
        if window != self.window {
            fingerprints.update(repeating: 0, count: Self.slotCount)
            self.window = window
        }
        let slot = Int(truncatingIfNeeded: fingerprint) & (Self.slotCount - 1)
        fingerprints[slot] = fingerprint
        variants[slot] = variant
    }
}
