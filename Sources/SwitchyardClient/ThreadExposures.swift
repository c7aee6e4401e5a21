#if canImport(Darwin)
import Darwin
#else
import Glibc
#endif

/// One thread's memory of the exposures it queued in the current deduplication window: a
/// direct-mapped table of fingerprints that only its own thread touches, so an evaluation that
/// repeats an exposure recognises it without the queue's lock. A miss (first sight, another window,
/// or a slot taken by another fingerprint) falls back to the queue's exact set.
final class ThreadExposures {
    static let slotCount = 1024

    private let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: ThreadExposures.slotCount)
    /// The window the slots belong to; windows are numbered across every queue of the process.
    private var window = 0

    private init() {
        slots.initialize(repeating: 0, count: Self.slotCount)
    }

    deinit {
        slots.deallocate()
    }

    /// The calling thread's memory, created on first use.
    static var current: Unmanaged<ThreadExposures> {
        if let pointer = pthread_getspecific(threadExposuresKey) { return Unmanaged.fromOpaque(pointer) }
        let memory = Unmanaged.passRetained(ThreadExposures())
        pthread_setspecific(threadExposuresKey, memory.toOpaque())
        return memory
    }

    /// Whether this thread recorded `fingerprint` in `window`.
    @inline(__always)
    func contains(_ fingerprint: UInt64, window: Int) -> Bool {
        window == self.window && slots[Int(truncatingIfNeeded: fingerprint) & (Self.slotCount - 1)] == fingerprint
    }

    /// Records `fingerprint` for `window`, forgetting what belonged to an earlier one.
    func record(_ fingerprint: UInt64, window: Int) {
        if window != self.window {
            slots.update(repeating: 0, count: Self.slotCount)
            self.window = window
        }
        slots[Int(truncatingIfNeeded: fingerprint) & (Self.slotCount - 1)] = fingerprint
    }
}

private let threadExposuresKey: pthread_key_t = {
    var key = pthread_key_t()
    #if canImport(Darwin)
    pthread_key_create(&key) { Unmanaged<ThreadExposures>.fromOpaque($0).release() }
    #else
    pthread_key_create(&key) { pointer in
        if let pointer { Unmanaged<ThreadExposures>.fromOpaque(pointer).release() }
    }
    #endif
    return key
}()
