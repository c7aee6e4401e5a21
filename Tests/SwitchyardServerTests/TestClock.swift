import Foundation
import SwitchyardGuard
import Synchronization

/// A wall clock the test moves; it starts at the current time unless told otherwise.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date()) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    /// What the server reads.
    var wallClock: WallClock {
        WallClock { Timestamp(millisecondsSinceEpoch: Int64((self.now.timeIntervalSince1970 * 1000).rounded(.down))) }
    }

    func advance(to date: Date) {
        current.withLock { $0 = max($0, date) }
    }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
