import Synchronization

/// Output ids unique across processes: a random prefix per client and a counter.
final class OutputIDs: Sendable {
    private let prefix: String
    private let counter = Atomic<Int>(0)

    init() {
        prefix = "o-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }

    func next() -> String {
        let number = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return prefix + "-" + String(number, radix: 36)
    }
}
