import Synchronization
import SwitchyardGuard

/// The exposures a client reported in the current deduplication window: a fixed-size table of
/// fingerprints, eight to a cache line, that every thread reads and writes without a lock. The
/// client's flush starts a new window when the current one is over.
///
/// It errs only towards reporting: a repeat is recognised while the table still holds it, and is
/// reported again when it was pushed out (more than eight exposures of the window met in one
/// line) or when two threads record the same new exposure at once. The server counts exposed
/// units, not exposure events, so a repeat reported again costs traffic, never accuracy. A new
/// exposure is taken for a repeat only if it agrees with a remembered one in 48 bits.
final class ExposureMemory: @unchecked Sendable {
    /// 65,536 slots of eight bytes: 512 KiB per client.
    static let defaultSlotCount = 1 << 16
    static let ways = 8
    /// The low bits of a slot hold its window's stamp; 0 is an empty slot.
    private static let stampBits: UInt64 = 0xFFFF

    // Safe to share: the slots and the stamp are only touched through atomic loads and stores.
    private let slots: UnsafeMutablePointer<Atomic<UInt64>>
    private let slotCount: Int
    private let lineMask: Int
    /// The current window's stamp, 1 to 65,535.
    private let stamp = Atomic<UInt64>(1)
    private let windowMs: Int64
    private let windowStart: Atomic<Int64>

    /// - Parameters:
    ///   - window: how long a unit's exposure to one variant is reported once.
    ///   - now: when the first window starts.
    ///   - slotCount: rounded up to a power of two, at least one line of ``ways`` slots.
    init(window: Duration, now: Timestamp, slotCount: Int = ExposureMemory.defaultSlotCount) {
        windowMs = max(1, window.milliseconds)
        windowStart = Atomic(now.millisecondsSinceEpoch)
        var count = Self.ways
        while count < slotCount { count <<= 1 }
        let memory = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<UInt64>.stride, alignment: 64)
        slots = memory.bindMemory(to: Atomic<UInt64>.self, capacity: count)
        for index in 0..<count { (slots + index).initialize(to: Atomic(0)) }
        self.slotCount = count
        lineMask = count / Self.ways - 1
    }

    deinit {
        slots.deinitialize(count: slotCount)
        UnsafeMutableRawPointer(slots).deallocate()
    }

    /// Where the exposures of one unit to one flag are remembered, whatever the variant.
    struct Slot {
        fileprivate let line: Int
        fileprivate let pairHash: UInt64
    }

    /// The slot of the unit of `unitHash` and the flag of `flagHash`, its line already on its way
    /// into the cache so that ``record(_:variantHash:)`` after the evaluation finds it there.
    @inline(__always)
    func slot(flagHash: UInt64, unitHash: UInt64) -> Slot {
        let pairHash = (flagHash &* 0x9E37_79B9_7F4A_7C15 ^ unitHash) &* 0xBF58_476D_1CE4_E5B9
        let line = (Int(truncatingIfNeeded: pairHash >> 32) & lineMask) &* Self.ways
        // An acquiring load only so that the compiler keeps it here; on x86 and ARM64 it costs
        // no more than a plain load.
        _ = slots[line].load(ordering: .acquiring)
        return Slot(line: line, pairHash: pairHash)
    }

    /// Records that the unit of `slot` was exposed to the variant of `variantHash`; returns
    /// `false` when that is a repeat in this window. A repeat costs a read of one cache line.
    @inline(__always)
    func record(_ slot: Slot, variantHash: UInt64) -> Bool {
        record((slot.pairHash ^ variantHash) &* 0x94D0_49BB_1331_11EB, in: slot.line)
    }

    /// Records the exposure of `fingerprint` in `line`; returns `false` when it is a repeat in
    /// this window.
    @inline(__always)
    func record(_ fingerprint: UInt64, in line: Int) -> Bool {
        let stamp = stamp.load(ordering: .relaxed)
        let tag = fingerprint & ~Self.stampBits | stamp
        var free = -1
        for way in 0..<Self.ways {
            let held = slots[line + way].load(ordering: .relaxed)
            if held == tag { return false }
            if free < 0, held & Self.stampBits != stamp { free = way }
        }
        // A full line gives up one of its slots, chosen by bits of the fingerprint.
        let way = free >= 0 ? free : Int(truncatingIfNeeded: fingerprint >> 61)
        slots[line + way].store(tag, ordering: .relaxed)
        return true
    }

    /// Starts a new window once the current one is over.
    func expire(now: Timestamp) {
        guard now.millisecondsSinceEpoch - windowStart.load(ordering: .relaxed) >= windowMs else { return }
        windowStart.store(now.millisecondsSinceEpoch, ordering: .relaxed)
        startWindow()
    }

    /// Forgets every exposure recorded so far: their stamps no longer match. When the stamps run
    /// out the table is swept, so a stamp is reused only on an empty table.
    func startWindow() {
        let next = stamp.load(ordering: .relaxed) + 1
        if next > Self.stampBits {
            for index in 0..<slotCount { slots[index].store(0, ordering: .relaxed) }
            stamp.store(1, ordering: .relaxed)
        } else {
            stamp.store(next, ordering: .relaxed)
        }
    }
}
