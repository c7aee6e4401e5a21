#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the time of day is read: the system's clock in production, a clock the test moves by hand
/// in tests (so that days of a rollout replay in milliseconds).
///
/// The stores, the server and the client each take one (a server and its store the same one) and
/// read every wall-clock time from it: recorded changes and audit entries, event times, kill rules
/// and rollouts, rate limits, change-feed pruning, sessions.
/// Durations are measured with `ContinuousClock`, which no test needs to move.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Timestamp

    /// A clock that answers `read()` when asked the time.
    public init(_ read: @escaping @Sendable () -> Timestamp) {
        self.read = read
    }

    /// The current time.
    public var now: Timestamp { read() }

    /// The system's wall clock, to the millisecond.
    public static let system = WallClock {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Timestamp(millisecondsSinceEpoch: Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000)
    }
}
