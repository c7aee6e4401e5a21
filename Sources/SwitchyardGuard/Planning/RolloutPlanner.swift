/// Sample sizes and stage durations for a rollout (spec §5): how many units each arm needs, and how
/// long each stage must run, to catch a given regression with a stated probability using the same
/// always-valid confidence sequence the rollout uses.
public struct RolloutPlanner: Sendable, Hashable {
    /// The metric's behaviour today.
    public enum Baseline: Sendable, Hashable {
        /// A rate such as 0.02 errors per unit; `regressed` is the rate to catch (0.03).
        case rate(Double)
        /// A per-unit mean and standard deviation; `regressed` is the mean to catch.
        case mean(Double, standardDeviation: Double)
    }

    /// What one stage can see.
    public struct StageEstimate: Sendable, Hashable {
        public var stage: String
        /// The share of units in the treatment, 0–1.
        public var treatmentShare: Double
        /// Days until the regression is caught with the stated power; `nil` beyond a year or when
        /// the stage has no control arm.
        public var daysNeeded: Double?
        /// The stage's minimum duration in days.
        public var plannedDays: Double
        /// The smallest regression (as an absolute change of the metric) the stage catches with the
        /// stated power within its planned duration; `nil` without a control arm.
        public var detectableChange: Double?
        /// Whether the stage, as planned, catches the regression asked about; a stage that does not
        /// can only catch gross failures (and relies on the kill rules).
        public var catchesRegression: Bool { daysNeeded.map { $0 <= plannedDays } ?? false }
    }

    public var dailyUnits: Double
    public var baseline: Baseline
    /// The regressed rate or mean worth catching.
    public var regressed: Double
    /// The probability of catching it.
    public var power: Double
    /// The overall error rate, split over `metrics` comparisons (Bonferroni). To match a plan, pass
    /// its α and, as `metrics`, its guardrails times its compared stages, which is how
    /// ``RolloutPlan/reportOptions`` splits it.
    public var alpha: Double
    public var metrics: Int
    public var tuning: Double

    public init(
        dailyUnits: Double, baseline: Baseline, regressed: Double, power: Double = 0.8, alpha: Double = 0.05, metrics: Int = 1,
        tuning: Double = ConfidenceSequence.defaultTuning
    ) {
        self.dailyUnits = dailyUnits
        self.baseline = baseline
        self.regressed = regressed
        self.power = power
        self.alpha = alpha
        self.metrics = metrics
        self.tuning = tuning
    }

    /// Per-unit variances of control and treatment: p(1−p) for rates, sd² for means.
    private var variances: (control: Double, treatment: Double) {
        switch baseline {
        case .rate(let p): (p * (1 - p), regressed * (1 - regressed))
        case .mean(_, let sd): (sd * sd, sd * sd)
        }
    }

    private var change: Double {
        switch baseline {
        case .rate(let p): abs(regressed - p)
        case .mean(let mean, _): abs(regressed - mean)
        }
    }

    private var alphaPerMetric: Double { alpha / Double(max(1, metrics)) }

    /// Whether `treatment` and `control` units catch `change` with the stated power:
    /// `P(Δ̂ − half > 0) = Φ((Δ − half)/SE) ≥ power`.
    private func catches(_ change: Double, treatment: Double, control: Double) -> Bool {
        guard treatment >= 2, control >= 2 else { return false }
        let (controlVariance, treatmentVariance) = variances
        let standardError = (treatmentVariance / treatment + controlVariance / control).squareRoot()
        let half = ConfidenceSequence.halfWidth(standardError: standardError, count: Int(treatment + control), alpha: alphaPerMetric, tuning: tuning)
        return change - half >= NormalDistribution.quantile(power) * standardError
    }

    /// Units each arm needs with an even split under continuous monitoring (the confidence sequence).
    public var unitsPerArm: Int {
        smallest(upTo: 1e9) { catches(change, treatment: $0, control: $0) }.map { Int($0.rounded(.up)) } ?? Int.max
    }

    /// Units each arm would need with a single look at the end (one-sided z-test), for comparison:
    /// `n = (z₁₋α + z_power)² (σ²_C + σ²_T) / Δ²`.
    public var fixedHorizonUnitsPerArm: Int {
        let (controlVariance, treatmentVariance) = variances
        let z = NormalDistribution.quantile(1 - alphaPerMetric) + NormalDistribution.quantile(power)
        return Int((z * z * (controlVariance + treatmentVariance) / (change * change)).rounded(.up))
    }

    /// What each stage of `plan` can catch, given the daily units.
    public func estimates(for plan: RolloutPlan) -> [StageEstimate] {
        plan.stages.indices.map { index in
            let stage = plan.stages[index]
            let share = plan.gates(atStage: index).percent / 100
            let plannedDays = Double(stage.minimumDuration.milliseconds) / 86_400_000
            guard share > 0, share < 1 else {
                return StageEstimate(stage: stage.name, treatmentShare: share, daysNeeded: nil, plannedDays: plannedDays, detectableChange: nil)
            }
            let daysNeeded = smallest(upTo: 365) { days in
                catches(change, treatment: share * dailyUnits * days, control: (1 - share) * dailyUnits * days)
            }
            let units = dailyUnits * plannedDays
            let detectable = smallest(upTo: 1e12) { delta in catches(delta, treatment: share * units, control: (1 - share) * units) }
            return StageEstimate(
                stage: stage.name, treatmentShare: share, daysNeeded: daysNeeded, plannedDays: plannedDays, detectableChange: detectable)
        }
    }

    /// The smallest x in (0, limit] for which a monotone `holds` is true, by bisection; `nil` when
    /// it fails even at the limit.
    private func smallest(upTo limit: Double, where holds: (Double) -> Bool) -> Double? {
        guard holds(limit) else { return nil }
        var low = 0.0
        var high = limit
        while high - low > max(1e-9, high * 1e-6) {
            let middle = (low + high) / 2
            if holds(middle) { high = middle } else { low = middle }
        }
        return high
    }
}
