import Foundation
import SwitchyardGuard

/// Where the guardrail services read the time: the system clock in production, a clock the test
/// moves in tests, so that days of a rollout replay in milliseconds.
public struct GuardrailClock: Sendable {
    private let read: @Sendable () -> Timestamp

    /// A clock that answers `read()` when asked the time.
    public init(_ read: @escaping @Sendable () -> Timestamp) {
        self.read = read
    }

    /// The current time.
    public var now: Timestamp { read() }

    /// The system's wall clock.
    public static let system = GuardrailClock {
        Timestamp(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
