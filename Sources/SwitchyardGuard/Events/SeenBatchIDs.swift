/// The most recent batch ids, so that a batch delivered twice is counted once.
///
/// Bounded: once `capacity` ids are held, recording a new one forgets the oldest.
public struct SeenBatchIDs: Sendable {
    /// How many ids are remembered.
    public let capacity: Int
    private var members: Set<String> = []
    private var order: [String] = []
    private var oldest = 0

    public init(capacity: Int = 100_000) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    /// Records `batchId`; returns `false` when it was already seen (the batch is a duplicate).
    public mutating func insert(_ batchId: String) -> Bool {
        guard !members.contains(batchId) else { return false }
        members.insert(batchId)
        if order.count < capacity {
            order.append(batchId)
        } else {
            members.remove(order[oldest])
            order[oldest] = batchId
            oldest = (oldest + 1) % capacity
        }
        return true
    }

    /// Whether `batchId` is among the remembered ids.
    public func contains(_ batchId: String) -> Bool { members.contains(batchId) }

    /// How many ids are remembered.
    public var count: Int { members.count }
}
