/// A fixed-capacity FIFO that overwrites its oldest element when full.
struct RingBuffer<Element> {
    private var storage: [Element?]
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) {
        storage = Array(repeating: nil, count: capacity)
    }

    var capacity: Int { storage.count }

    /// Appends `element`; returns whether the oldest element was dropped to make room.
    mutating func append(_ element: Element) -> Bool {
        let tail = (head + count) % capacity
        storage[tail] = element
        guard count == capacity else {
            count += 1
            return false
        }
        head = (head + 1) % capacity
        return true
    }

    /// Removes and returns up to `limit` elements, oldest first.
    mutating func removeFirst(_ limit: Int) -> [Element] {
        let taken = min(limit, count)
        var elements: [Element] = []
        elements.reserveCapacity(taken)
        for _ in 0..<taken {
            if let element = storage[head] { elements.append(element) }
            storage[head] = nil
            head = (head + 1) % capacity
        }
        count -= taken
        return elements
    }
}

extension RingBuffer: Sendable where Element: Sendable {}
