/// Control versus each treatment of a flag on every guardrail metric, with the sample ratio
/// check: what `GET /api/v1/flags/{key}/report` serves and `switchyard report FLAG` prints.
public struct VariantReport: Sendable, Hashable {
    /// How a report is computed.
    public struct Options: Sendable, Hashable {
        /// The overall error rate, split across metrics (Bonferroni).
        public var alpha: Double
        /// The confidence sequence's tuning constant S.
        public var tuning: Double
        public var metrics: [GuardrailMetric]
        /// How much worse counts as a regression, per metric (default 0).
        public var regressionMargins: [GuardrailMetric: Double]
        /// How much worse is tolerated for non-inferiority, per metric.
        public var nonInferiorityMargins: [GuardrailMetric: Double]
        /// Units each arm needs before a comparison may conclude anything: the interval is
        /// asymptotic, and a handful of units gives variance estimates it cannot trust.
        public var minimumUnitsPerArm: Int
        /// How far back sparklines reach, and how many points they have.
        public var sparklineSpan: Duration
        public var sparklinePoints: Int

        public init(
            alpha: Double = 0.05, tuning: Double = ConfidenceSequence.defaultTuning, metrics: [GuardrailMetric] = GuardrailMetric.allCases,
            regressionMargins: [GuardrailMetric: Double] = [:], nonInferiorityMargins: [GuardrailMetric: Double] = [:], minimumUnitsPerArm: Int = 50,
            sparklineSpan: Duration = .seconds(3600), sparklinePoints: Int = 60
        ) {
            self.alpha = alpha
            self.tuning = tuning
            self.metrics = metrics
            self.regressionMargins = regressionMargins
            self.nonInferiorityMargins = nonInferiorityMargins
            self.minimumUnitsPerArm = minimumUnitsPerArm
            self.sparklineSpan = sparklineSpan
            self.sparklinePoints = sparklinePoints
        }

        /// The error rate of each metric: α / m.
        public var alphaPerMetric: Double { alpha / Double(max(1, metrics.count)) }
    }

    /// One variant's numbers.
    public struct Arm: Sendable, Hashable {
        public var variant: String
        /// Exposed units (first seen with this variant).
        public var units: Int
        public var outputs: Int
        /// Each metric's value over the arm's units.
        public var values: [GuardrailMetric: Double]
        /// Each metric's recent history on event-level minute totals, oldest first; `nil` where a
        /// point had no data.
        public var sparklines: [GuardrailMetric: [Double?]]
    }

    /// One treatment against control.
    public struct Treatment: Sendable, Hashable {
        public var variant: String
        public var comparisons: [MetricComparison]

        /// The metrics showing a regression.
        public var regressions: [MetricComparison] { comparisons.filter { $0.verdict == .regression } }
    }

    public var flag: String
    public var control: String
    public var generatedAt: Timestamp
    public var options: Options
    /// Control first, then the treatments sorted by name.
    public var arms: [Arm]
    public var treatments: [Treatment]
    /// The split's health; `nil` when no weights were given.
    public var sampleRatio: SampleRatioCheck?
    public var multiplyExposedUnits: Int

    /// Builds the report from per-arm moments, however they were obtained; arms carry no
    /// sparklines.
    ///
    /// - Parameter weights: the configured split per variant, for the sample ratio check.
    public init(
        flag: String, control: String, arms moments: [String: ArmMoments], weights: [String: Double]? = nil, multiplyExposedUnits: Int = 0,
        now: Timestamp, options: Options = Options()
    ) {
        let configured = weights.map { Set($0.filter { $0.value > 0 }.keys) } ?? []
        let treatmentNames = Set(moments.keys).union(configured).subtracting([control]).sorted()
        arms = ([control] + treatmentNames).map { variant in
            let arm = moments[variant] ?? ArmMoments()
            var values: [GuardrailMetric: Double] = [:]
            for metric in options.metrics { values[metric] = arm.metrics[metric]?.ratio ?? 0 }
            return Arm(variant: variant, units: arm.units, outputs: arm.outputs, values: values, sparklines: [:])
        }
        treatments = treatmentNames.map { variant in
            Treatment(
                variant: variant,
                comparisons: options.metrics.map { metric in
                    MetricComparison(
                        metric: metric, control: moments[control]?.metrics[metric] ?? RatioMoments(),
                        treatment: moments[variant]?.metrics[metric] ?? RatioMoments(), alpha: options.alphaPerMetric, tuning: options.tuning,
                        regressionMargin: options.regressionMargins[metric] ?? 0, nonInferiorityMargin: options.nonInferiorityMargins[metric],
                        minimumUnits: options.minimumUnitsPerArm
                    )
                }
            )
        }
        self.flag = flag
        self.control = control
        self.generatedAt = now
        self.options = options
        self.multiplyExposedUnits = multiplyExposedUnits
        self.sampleRatio = weights.map { weights in
            SampleRatioCheck(observed: moments.mapValues(\.units), weights: weights, multiplyExposedUnits: multiplyExposedUnits)
        }
    }

    /// Builds the report from the aggregator's per-unit totals, with sparklines of the recent
    /// minute totals. Only exposed units active in the current analysis period count: a unit with
    /// outputs but no exposure event is left out, so lost exposures show up in the sample ratio
    /// check.
    ///
    /// - Parameters:
    ///   - weights: the configured split per variant, for the sample ratio check.
    ///   - segments: which units to look at.
    public init(
        _ aggregator: Aggregator, flag: String, control: String, weights: [String: Double]? = nil, segments: SegmentFilter = .all,
        now: Timestamp, options: Options = Options()
    ) {
        var moments: [String: ArmMoments] = [:]
        var multiplyExposed = 0
        for unit in aggregator.units(of: flag).values where unit.exposures > 0 && unit.isActive && segments.admits(unit.segment) {
            if unit.isMultiplyExposed { multiplyExposed += 1 }
            moments[unit.variant, default: ArmMoments()].add(unit, measuring: options.metrics)
        }
        self.init(flag: flag, control: control, arms: moments, weights: weights, multiplyExposedUnits: multiplyExposed, now: now, options: options)
        let spanStart = now - options.sparklineSpan
        let step = Duration.milliseconds(max(60_000, options.sparklineSpan.milliseconds / Int64(max(1, options.sparklinePoints))))
        for index in arms.indices {
            let points = (0..<options.sparklinePoints).map { point in
                let start = spanStart + step * point
                return aggregator.totals(
                    flag: flag, variant: arms[index].variant, from: start, through: start + step - .milliseconds(1), includingSketches: false)
            }
            for metric in options.metrics { arms[index].sparklines[metric] = points.map { metric.value(in: $0) } }
        }
    }

    /// The arm of `variant`.
    public func arm(_ variant: String) -> Arm? { arms.first { $0.variant == variant } }
}
