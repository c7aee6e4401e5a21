/// A point in time, in milliseconds since the Unix epoch (UTC).
///
/// Every type in this module takes the current time as a `Timestamp` argument instead of reading a
/// clock, so tests can replay days of traffic in milliseconds and the server can inject its clock.
///
/// Arithmetic saturates: a sum or difference beyond the range of `Int64` milliseconds is
/// ``distantPast`` or ``distantFuture``, never a trap, so no stored duration can stop the process.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The earliest representable instant; arithmetic that would go before it stops here.
    public static let distantPast = Timestamp(millisecondsSinceEpoch: .min)
    /// The latest representable instant; arithmetic that would go past it stops here.
    public static let distantFuture = Timestamp(millisecondsSinceEpoch: .max)

    /// Whole seconds since 1970-01-01T00:00:00Z (rounded down), as `$flagd.timestamp` reads it.
    public var secondsSinceEpoch: Int64 {
        millisecondsSinceEpoch >= 0 ? millisecondsSinceEpoch / 1000 : (millisecondsSinceEpoch - 999) / 1000
    }

    /// The index of the one-minute bucket holding this instant.
    public var minute: Int64 {
        millisecondsSinceEpoch >= 0
            ? millisecondsSinceEpoch / 60_000
            : (millisecondsSinceEpoch - 59_999) / 60_000
    }

    /// The first instant of a one-minute bucket (saturating).
    public init(minute: Int64) {
        self.millisecondsSinceEpoch = Int64.saturatingProduct(minute, 60_000)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64.saturatingSum(lhs.millisecondsSinceEpoch, rhs.milliseconds))
    }

    public static func - (lhs: Timestamp, rhs: Duration) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64.saturatingDifference(lhs.millisecondsSinceEpoch, rhs.milliseconds))
    }

    /// The time from `other` to `self`.
    public static func - (lhs: Timestamp, rhs: Timestamp) -> Duration {
        .milliseconds(Int64.saturatingDifference(lhs.millisecondsSinceEpoch, rhs.millisecondsSinceEpoch))
    }

    public var description: String { "\(millisecondsSinceEpoch)ms" }
}

extension Duration {
    /// The duration in whole milliseconds, rounded toward zero; saturates at the range of `Int64`.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return Int64.saturatingSum(Int64.saturatingProduct(seconds, 1000), attoseconds / 1_000_000_000_000_000)
    }
}

extension Int64 {
    /// `lhs + rhs`, or the nearest bound of `Int64` when that overflows.
    static func saturatingSum(_ lhs: Int64, _ rhs: Int64) -> Int64 {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        guard overflow else { return sum }
        return rhs > 0 ? .max : .min
    }

    /// `lhs - rhs`, or the nearest bound of `Int64` when that overflows.
    static func saturatingDifference(_ lhs: Int64, _ rhs: Int64) -> Int64 {
        let (difference, overflow) = lhs.subtractingReportingOverflow(rhs)
        guard overflow else { return difference }
        return rhs < 0 ? .max : .min
    }

    /// `lhs × rhs`, or the nearest bound of `Int64` when that overflows.
    static func saturatingProduct(_ lhs: Int64, _ rhs: Int64) -> Int64 {
        let (product, overflow) = lhs.multipliedReportingOverflow(by: rhs)
        guard overflow else { return product }
        return (lhs < 0) == (rhs < 0) ? .max : .min
    }
}
