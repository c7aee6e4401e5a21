/// The most recent batch ids, so that a batch delivered twice is counted once.
///
/// Bounded: once `capacity` ids are held, recording a new one forgets the oldest.
public struct SeenBatchIDs: Sendable {
    private var ids: RecentMap<Void>

    public init(capacity: Int = 100_000) {
        ids = RecentMap(capacity: capacity)
    }

    /// How many ids are remembered at most.
    public var capacity: Int { ids.capacity }

    /// Records `batchId`; returns `false` when it was already seen (the batch is a duplicate).
    public mutating func insert(_ batchId: String) -> Bool { ids.insert((), for: batchId) }

    /// Whether `batchId` is among the remembered ids.
    public func contains(_ batchId: String) -> Bool { ids[batchId] != nil }

    /// How many ids are remembered.
    public var count: Int { ids.count }
}
