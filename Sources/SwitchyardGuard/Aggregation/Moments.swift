#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Count, sum and sum of squares of a non-negative quantity, on the natural scale and on the log
/// scale `ln(1 + x)`; mergeable by addition.
///
/// The log scale tames heavy tails (output lengths, latency): bounds on `mean(ln(1 + x))` are what
/// the kill rules and the comparison use for means, as the spec recommends.
public struct Moments: Sendable, Hashable {
    public internal(set) var count = 0
    public internal(set) var sum = 0.0
    public internal(set) var sumOfSquares = 0.0
    public internal(set) var sumOfLogs = 0.0
    public internal(set) var sumOfLogSquares = 0.0

    public init() {}

    /// Adds one observation.
    public mutating func add(_ value: Double) {
        let logValue = log1p(value)
        count += 1
        sum += value
        sumOfSquares += value * value
        sumOfLogs += logValue
        sumOfLogSquares += logValue * logValue
    }

    /// Adds every observation of `other`.
    public mutating func merge(_ other: Moments) {
        count += other.count
        sum += other.sum
        sumOfSquares += other.sumOfSquares
        sumOfLogs += other.sumOfLogs
        sumOfLogSquares += other.sumOfLogSquares
    }

    /// The arithmetic mean, or 0 without observations.
    public var mean: Double { count > 0 ? sum / Double(count) : 0 }

    /// The unbiased sample variance, or 0 with fewer than two observations.
    public var variance: Double { Self.variance(count: count, sum: sum, sumOfSquares: sumOfSquares) }

    /// The mean of `ln(1 + x)`.
    public var logMean: Double { count > 0 ? sumOfLogs / Double(count) : 0 }

    /// The unbiased sample variance of `ln(1 + x)`.
    public var logVariance: Double { Self.variance(count: count, sum: sumOfLogs, sumOfSquares: sumOfLogSquares) }

    static func variance(count: Int, sum: Double, sumOfSquares: Double) -> Double {
        guard count > 1 else { return 0 }
        let n = Double(count)
        return max(0, (sumOfSquares - sum * sum / n) / (n - 1))
    }
}
