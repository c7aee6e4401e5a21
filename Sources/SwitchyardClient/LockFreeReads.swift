#if canImport(Darwin)
    import Darwin
#else
    import Glibc
#endif
import Synchronization
import SwitchyardGuard

// The client's only unsafe code: the evaluation path reads its snapshot through per-thread
// references (``SnapshotCell``, ``ThreadSnapshots``) and remembers exposures in a table of raw
// atomics (``ExposureMemory``). Both earn their place at the evaluation level. In one run of the
// `ClientEvaluation` benchmark (2026-12-01, 2-core machine under load, p50): the bare engine took
// 236 ns, the client through `SnapshotCell` 247 ns (+5 %); the engine behind the plain designs
// 300 ns with a `Mutex` snapshot and 301 ns with an atomic reference as Hummingbird's `DateCache`
// holds its date (+27 %). Over 10,000 users with exposure reporting: engine 290 ns, client 310 ns
// (+7 %), a `Mutex` snapshot with the exposures in a `Mutex<Set>` 431 ns (+49 %). A second run
// gave the same order (p25: 230, 238, 295 and 297 ns; 293, 308 and 376 ns).
//
// Why it is safe:
// - A thread's ``ThreadSnapshots`` is reached only through its own pthread-specific slot, so only
//   that thread touches it; it holds a strong (retained) reference to each snapshot it lends, and
//   releases it only at its next read of the same cell or when the thread exits, so a snapshot
//   lent to `read` stays alive for the call. The generation is published with release ordering
//   after the new snapshot is stored under the lock, and read with acquire ordering.
// - ``ExposureMemory`` allocates its slots once, initialises each as an `Atomic`, touches them only
//   through atomic loads and stores within bounds (`line + way` < `slotCount`), and frees them in
//   `deinit`, when no other reference exists.

/// Holds the current ``FlagSnapshot`` so that every thread reads it without a lock, without an
/// atomic read-modify-write and without reference counting.
///
/// Each thread keeps its own strong reference to the snapshot it last read, tagged with the
/// generation it was published at. A read loads the generation (a plain atomic load) and, while it
/// is unchanged, uses the thread's copy. After a change, each thread's first read takes the lock
/// once to pick up the new snapshot. A thread therefore keeps at most one old snapshot alive per
/// client until its next read (and at most ``ThreadSnapshots/capacity`` clients' snapshots).
final class SnapshotCell: Sendable {
    /// Identifies the cell in every thread's cache; never reused.
    private let serial: Int
    private let generation = Atomic<Int>(0)
    private let latest: Mutex<(generation: Int, snapshot: FlagSnapshot)>
    private let threadKey = ThreadSnapshots.key

    private static let serials = Atomic<Int>(0)

    init(_ snapshot: FlagSnapshot) {
        serial = Self.serials.wrappingAdd(1, ordering: .relaxed).newValue
        latest = Mutex((0, snapshot))
    }

    /// Publishes a new snapshot; reads that start afterwards see it.
    func store(_ snapshot: FlagSnapshot) {
        latest.withLock { latest in
            latest = (latest.generation + 1, snapshot)
            generation.store(latest.generation, ordering: .releasing)
        }
    }

    /// Calls `body` with the current snapshot, which stays alive for the duration of the call.
    @inline(__always)
    func read<Result>(_ body: (FlagSnapshot) -> Result) -> Result {
        snapshot()._withUnsafeGuaranteedRef(body)
    }

    /// The current snapshot, held by the calling thread's ``ThreadSnapshots`` until that thread's
    /// next read of this cell: use it before then and on this thread only.
    @inline(__always)
    func snapshot() -> Unmanaged<FlagSnapshot> {
        let generation = generation.load(ordering: .acquiring)
        return ThreadSnapshots.current(threadKey)._withUnsafeGuaranteedRef { cache in
            cache.snapshot(serial: serial, generation: generation) ?? refresh(cache)
        }
    }

    private func refresh(_ cache: ThreadSnapshots) -> Unmanaged<FlagSnapshot> {
        let (generation, snapshot) = latest.withLock { ($0.generation, $0.snapshot) }
        return cache.install(serial: serial, generation: generation, snapshot: snapshot)
    }
}

/// One thread's references to the snapshots it read last, one per cell. Only its own thread
/// touches it.
final class ThreadSnapshots {
    private struct Entry {
        var serial: Int
        var generation: Int
        var snapshot: Unmanaged<FlagSnapshot>
    }

    /// The most cells remembered per thread; beyond it the oldest entry is replaced.
    static let capacity = 8

    private let entries = UnsafeMutablePointer<Entry>.allocate(capacity: ThreadSnapshots.capacity)
    private var count = 0
    private var nextEviction = 0

    /// The snapshot of cell `serial` when the thread holds the one of `generation`.
    @inline(__always)
    func snapshot(serial: Int, generation: Int) -> Unmanaged<FlagSnapshot>? {
        for index in 0..<count where entries[index].serial == serial {
            return entries[index].generation == generation ? entries[index].snapshot : nil
        }
        return nil
    }

    /// Keeps `snapshot` as the thread's copy for cell `serial`, releasing the one it replaces.
    func install(serial: Int, generation: Int, snapshot: FlagSnapshot) -> Unmanaged<FlagSnapshot> {
        let entry = Entry(serial: serial, generation: generation, snapshot: .passRetained(snapshot))
        if let index = (0..<count).first(where: { entries[$0].serial == serial }) {
            entries[index].snapshot.release()
            entries[index] = entry
        } else if count < Self.capacity {
            (entries + count).initialize(to: entry)
            count += 1
        } else {
            entries[nextEviction].snapshot.release()
            entries[nextEviction] = entry
            nextEviction = (nextEviction + 1) % Self.capacity
        }
        return entry.snapshot
    }

    deinit {
        for index in 0..<count { entries[index].snapshot.release() }
        entries.deinitialize(count: count)
        entries.deallocate()
    }
}

extension ThreadSnapshots {
    /// The thread-specific key that holds each thread's cache; its destructor releases the cache
    /// when the thread exits. Reading a global costs a `swift_once` check, so readers keep a copy.
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        #if canImport(Darwin)
            pthread_key_create(&key) { Unmanaged<ThreadSnapshots>.fromOpaque($0).release() }
        #else
            pthread_key_create(&key) { pointer in
                if let pointer { Unmanaged<ThreadSnapshots>.fromOpaque(pointer).release() }
            }
        #endif
        return key
    }()

    /// The calling thread's cache under `key` (a copy of ``key``), created on first use.
    @inline(__always)
    static func current(_ key: pthread_key_t) -> Unmanaged<ThreadSnapshots> {
        if let pointer = pthread_getspecific(key) { return Unmanaged.fromOpaque(pointer) }
        return install(key)
    }

    private static func install(_ key: pthread_key_t) -> Unmanaged<ThreadSnapshots> {
        let cache = Unmanaged.passRetained(ThreadSnapshots())
        pthread_setspecific(key, cache.toOpaque())
        return cache
    }
}

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
