import Synchronization

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
