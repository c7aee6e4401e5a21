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
        /// How far back sparklines reach, and how many points they have.
        public var sparklineSpan: Duration
        public var sparklinePoints: Int

        public init(
            alpha: Double = 0.05, tuning: Double = ConfidenceSequence.defaultTuning, metrics: [GuardrailMetric] = GuardrailMetric.allCases,
            regressionMargins: [GuardrailMetric: Double] = [:], nonInferiorityMargins: [GuardrailMetric: Double] = [:],
            sparklineSpan: Duration = .seconds(6 * 3600), sparklinePoints: Int = 24
        ) {
            self.alpha = alpha
            self.tuning = tuning
            self.metrics = metrics
            self.regressionMargins = regressionMargins
            self.nonInferiorityMargins = nonInferiorityMargins
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

    /// Builds the report from the aggregator's per-unit totals.
    ///
    /// - Parameters:
    ///   - weights: the configured split per variant, for the sample ratio check.
    ///   - segment: restricts the report to one segment's units.
    public init(
        _ aggregator: Aggregator, flag: String, control: String, weights: [String: Double]? = nil, segment: String? = nil,
        now: Timestamp, options: Options = Options()
    ) {
        var moments: [String: [GuardrailMetric: RatioMoments]] = [:]
        var units: [String: Int] = [:]
        var outputs: [String: Int] = [:]
        var multiplyExposed = 0
        for unit in aggregator.units(of: flag).values where segment == nil || unit.segment == segment {
            if unit.isMultiplyExposed { multiplyExposed += 1 }
            units[unit.variant, default: 0] += 1
            outputs[unit.variant, default: 0] += unit.outputs
            for metric in options.metrics {
                let (x, y) = metric.contribution(of: unit)
                moments[unit.variant, default: [:]][metric, default: RatioMoments()].add(x: x, y: y)
            }
        }
        let treatmentNames = Set(units.keys).union(weights?.keys.filter { weights?[$0] ?? 0 > 0 } ?? []).subtracting([control]).sorted()
        let spanStart = now - options.sparklineSpan
        let step = Duration.milliseconds(max(60_000, options.sparklineSpan.milliseconds / Int64(max(1, options.sparklinePoints))))
        arms = ([control] + treatmentNames).map { variant in
            var values: [GuardrailMetric: Double] = [:]
            var sparklines: [GuardrailMetric: [Double?]] = [:]
            let points = (0..<options.sparklinePoints).map { index in
                let start = spanStart + step * index
                return aggregator.totals(flag: flag, variant: variant, segment: segment, from: start, through: start + step - .milliseconds(1))
            }
            for metric in options.metrics {
                values[metric] = moments[variant]?[metric]?.ratio ?? 0
                sparklines[metric] = points.map { metric.value(in: $0) }
            }
            return Arm(variant: variant, units: units[variant] ?? 0, outputs: outputs[variant] ?? 0, values: values, sparklines: sparklines)
        }
        treatments = treatmentNames.map { variant in
            Treatment(
                variant: variant,
                comparisons: options.metrics.map { metric in
                    MetricComparison(
                        metric: metric, control: moments[control]?[metric] ?? RatioMoments(), treatment: moments[variant]?[metric] ?? RatioMoments(),
                        alpha: options.alphaPerMetric, tuning: options.tuning,
                        regressionMargin: options.regressionMargins[metric] ?? 0, nonInferiorityMargin: options.nonInferiorityMargins[metric]
                    )
                }
            )
        }
        self.flag = flag
        self.control = control
        self.generatedAt = now
        self.options = options
        self.multiplyExposedUnits = multiplyExposed
        self.sampleRatio = weights.map { SampleRatioCheck(observed: units, weights: $0, multiplyExposedUnits: multiplyExposed) }
    }

    /// The arm of `variant`.
    public func arm(_ variant: String) -> Arm? { arms.first { $0.variant == variant } }
}
