/// An absolute circuit breaker attached to a flag (spec §1), for example
/// `errorRate > 0.05 over 15m minSamples 50`.
///
/// It trips only on statistical evidence: the Wilson lower bound of a rate, a one-sided bound of a
/// mean on the log scale, the exceedance rate behind a quantile, or (with `baseline`) the
/// SPRT/CUSUM fast path. See ``KillRuleEvaluator``.
public struct KillRule: Sendable, Hashable {
    /// Which side of the threshold is bad.
    public enum Comparison: String, Sendable, Hashable {
        /// `>`: trip when the metric is provably above the threshold.
        case above = ">"
        /// `<`: trip when the metric is provably below the threshold.
        case below = "<"
    }

    /// The default minimum number of observations in the window.
    public static let defaultMinSamples = 50
    /// The longest window a rule may measure over: 30 days (aggregates are not kept longer).
    public static let maximumWindow = Duration.seconds(30 * 86_400)
    /// The longest cool-down a rule may wait before re-arming: 365 days.
    public static let maximumCooldown = Duration.seconds(365 * 86_400)
    /// The largest `minSamples` a rule may require: 10,000,000.
    public static let maximumMinSamples = 10_000_000
    /// The normal quantile of every bound a rule uses: 2.33, a 99 % one-sided bound (spec §1).
    public static let z = 2.33

    public var metric: KillRuleMetric
    public var comparison: Comparison
    public var threshold: Double
    /// The sliding window the metric is measured over.
    public var window: Duration
    /// Observations required in the window (outputs, or ratings for feedback) before tripping.
    public var minSamples: Int
    /// The normal rate; enables the CUSUM fast path from `baseline` to `threshold` (rates, `>` only).
    public var baseline: Double?
    /// After a trip, the rule re-arms by itself once this has passed; `nil` waits for a person.
    public var cooldown: Duration?

    public init(
        metric: KillRuleMetric, comparison: Comparison = .above, threshold: Double, window: Duration,
        minSamples: Int = defaultMinSamples, baseline: Double? = nil, cooldown: Duration? = nil
    ) {
        self.metric = metric
        self.comparison = comparison
        self.threshold = threshold
        self.window = window
        self.minSamples = minSamples
        self.baseline = baseline
        self.cooldown = cooldown
    }

    /// Whether measuring the rule reads quantile sketches.
    var readsQuantiles: Bool {
        if case .quantile = metric { return true }
        return false
    }
}
