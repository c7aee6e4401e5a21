#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The fast path for rates: Wald's SPRT log-likelihood ratio accumulated as Page's CUSUM.
///
/// Per observation `llr = y·ln(p1/p0) + (1−y)·ln((1−p1)/(1−p0))`, `S = max(0, S + llr)`; alarm at
/// `S ≥ ln((1−β)/α)`. Observations may arrive grouped (`k` failures in `n` trials add
/// `k·ln(p1/p0) + (n−k)·ln((1−p1)/(1−p0))`), which is how minute totals feed it.
public struct BernoulliCUSUM: Sendable, Hashable {
    /// The in-control (baseline) rate.
    public let p0: Double
    /// The out-of-control rate to detect.
    public let p1: Double
    /// The alarm threshold `ln((1−β)/α)`.
    public let threshold: Double
    /// The current statistic S.
    public internal(set) var statistic = 0.0

    /// - Parameters:
    ///   - alpha: the false-alarm probability; small (default 10⁻⁶), because the statistic runs for
    ///     as long as the flag lives.
    ///   - beta: the miss probability (default 0.01).
    public init(p0: Double, p1: Double, alpha: Double = 1e-6, beta: Double = 0.01) {
        precondition(p0 > 0 && p0 < p1 && p1 < 1, "need 0 < p0 < p1 < 1")
        self.p0 = p0
        self.p1 = p1
        self.threshold = log((1 - beta) / alpha)
    }

    /// Adds `failures` out of `trials` observations.
    public mutating func observe(failures: Int, trials: Int) {
        let k = Double(failures)
        let rest = Double(max(0, trials - failures))
        statistic = max(0, statistic + k * log(p1 / p0) + rest * log((1 - p1) / (1 - p0)))
    }

    /// Whether the statistic crossed the threshold.
    public var alarms: Bool { statistic >= threshold }
}
