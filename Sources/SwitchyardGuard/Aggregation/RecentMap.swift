/// A dictionary that remembers only its most recent `capacity` insertions (first in, first out).
struct RecentMap<Value: Sendable>: Sendable {
    let capacity: Int
    private var values: [String: Value] = [:]
    private var order: [String] = []
    private var oldest = 0

    init(capacity: Int) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    subscript(key: String) -> Value? { values[key] }

    var count: Int { values.count }

    /// Stores `value` for `key`; returns `false`, changing nothing, when `key` is already held.
    mutating func insert(_ value: Value, for key: String) -> Bool {
        guard values.updateValue(value, forKey: key) == nil else { return false }
        if order.count < capacity {
            order.append(key)
        } else {
            values.removeValue(forKey: order[oldest])
            order[oldest] = key
            oldest = (oldest + 1) % capacity
        }
        return true
    }
}
