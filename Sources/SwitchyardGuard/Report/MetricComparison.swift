/// Control versus one treatment on one guardrail metric, with the always-valid interval of the
/// difference (spec §2).
public struct MetricComparison: Sendable, Hashable {
    /// What the interval says.
    public enum Verdict: String, Sendable, Hashable {
        /// The treatment is worse, beyond the regression margin.
        case regression
        /// Neither a regression nor non-inferiority is established yet.
        case noEvidence
        /// The treatment is not worse than control by more than the non-inferiority margin.
        case nonInferior
    }

    public var metric: GuardrailMetric
    public var control: Double
    public var treatment: Double
    /// Δ = treatment − control.
    public var difference: Double
    /// Δ − half and Δ + half: valid at every look, whenever one stops.
    public var lower: Double
    public var upper: Double
    /// The error rate of each one-sided bound after the Bonferroni split.
    public var alpha: Double
    public var verdict: Verdict

    /// Compares two arms' per-unit moments.
    ///
    /// - Parameters:
    ///   - alpha: the error rate of this metric (already split across metrics).
    ///   - regressionMargin: how much worse counts as a regression (default 0).
    ///   - nonInferiorityMargin: how much worse is tolerated for non-inferiority; without one,
    ///     non-inferior means provably not worse at all.
    ///   - minimumUnits: units each arm needs before the asymptotic interval is trusted; below it
    ///     the interval is unbounded and the verdict is `noEvidence`.
    public init(
        metric: GuardrailMetric, control: RatioMoments, treatment: RatioMoments, alpha: Double, tuning: Double,
        regressionMargin: Double = 0, nonInferiorityMargin: Double? = nil, minimumUnits: Int = 2
    ) {
        self.metric = metric
        self.control = control.ratio
        self.treatment = treatment.ratio
        self.difference = treatment.ratio - control.ratio
        let sideAlpha = metric.direction == .either ? alpha / 2 : alpha
        self.alpha = sideAlpha
        let standardError = (treatment.ratioVariance + control.ratioVariance).squareRoot()
        let half =
            min(control.count, treatment.count) < max(2, minimumUnits)
            ? Double.infinity
            : ConfidenceSequence.halfWidth(standardError: standardError, count: control.count + treatment.count, alpha: sideAlpha, tuning: tuning)
        lower = difference - half
        upper = difference + half
        let tolerated = nonInferiorityMargin ?? 0
        switch metric.direction {
        case .lowerIsBetter:
            verdict = lower > regressionMargin ? .regression : upper < tolerated ? .nonInferior : .noEvidence
        case .higherIsBetter:
            verdict = upper < -regressionMargin ? .regression : lower > -tolerated ? .nonInferior : .noEvidence
        case .either:
            let regressed = lower > regressionMargin || upper < -regressionMargin
            verdict = regressed ? .regression : (lower > -tolerated && upper < tolerated) ? .nonInferior : .noEvidence
        }
    }
}
