import Foundation
import SwitchyardGuard
import Synchronization

/// A wall clock the test moves by hand, read by the server as its `WallClock`.
package final class TestClock: Sendable {
    /// A fixed instant (late November 2025) for tests whose timestamps must not depend on today.
    package static let fixedStart = Timestamp(millisecondsSinceEpoch: 1_764_000_000_000)

    private let current: Mutex<Timestamp>

    /// A clock that starts at `start`.
    package init(_ start: Timestamp) {
        current = Mutex(start)
    }

    /// A clock that starts at `start`, the current time unless told otherwise.
    package convenience init(_ start: Date = Date()) {
        self.init(Timestamp(millisecondsSinceEpoch: Int64((start.timeIntervalSince1970 * 1000).rounded(.down))))
    }

    /// The clock's time.
    package var now: Timestamp { current.withLock { $0 } }

    /// What the server reads.
    package var wallClock: WallClock { WallClock { self.now } }

    /// Moves the clock forward by `duration`.
    package func advance(by duration: Duration) {
        current.withLock { $0 = $0 + duration }
    }

    /// Moves the clock forward by `seconds`.
    package func advance(by seconds: TimeInterval) {
        advance(by: .milliseconds(Int64((seconds * 1000).rounded())))
    }

    /// Moves the clock forward to `date`; a date before the clock's time leaves it where it is.
    package func advance(to date: Date) {
        let target = Timestamp(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
        current.withLock { $0 = max($0, target) }
    }
}
