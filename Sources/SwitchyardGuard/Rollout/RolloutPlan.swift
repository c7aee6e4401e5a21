import SwitchyardCore

/// A staged rollout of a treatment variant against a control (safe) variant (spec §4).
public struct RolloutPlan: Sendable, Hashable {
    /// Who a stage adds to the treatment.
    public enum Gate: Sendable, Hashable {
        /// Everyone matching a JsonLogic condition on the evaluation context, for example internal
        /// users `{"==": [{"var": "internal"}, true]}`; segment gates accumulate over the stages.
        case segment(name: String, condition: JSONValue)
        /// A share of everyone else, in percent; sub-percent values are allowed (0.1).
        case percentage(Double)
    }

    /// One stage of the plan.
    public struct Stage: Sendable, Hashable {
        public var gate: Gate
        /// The stage runs at least this long before it may advance.
        public var minimumDuration: Duration
        /// Exposed units required in each arm (in the treatment only, for a segment gate).
        public var minimumUnitsPerArm: Int

        public init(gate: Gate, minimumDuration: Duration, minimumUnitsPerArm: Int) {
            self.gate = gate
            self.minimumDuration = minimumDuration
            self.minimumUnitsPerArm = minimumUnitsPerArm
        }

        /// A short name: the segment's, or the percentage such as `5%`.
        public var name: String {
            switch gate {
            case .segment(let name, _): name
            case .percentage(let percent): "\(KillRule.format(percent))%"
            }
        }
    }

    /// What a guardrail does when its metric shows a regression.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        /// Kill: everyone gets the control (safe) variant.
        case rollback
        /// Stay at the current stage and alert until a person resumes.
        case hold
        /// Alert only.
        case warn
    }

    /// A metric watched during the rollout.
    public struct Guardrail: Sendable, Hashable {
        public var metric: GuardrailMetric
        public var action: Action
        /// How much worse counts as a regression (default 0), in the metric's units.
        public var regressionMargin: Double
        /// When set, a stage advances only with positive evidence that the treatment is not worse
        /// than control by more than this, in the metric's units.
        public var nonInferiorityMargin: Double?

        public init(metric: GuardrailMetric, action: Action, regressionMargin: Double = 0, nonInferiorityMargin: Double? = nil) {
            self.metric = metric
            self.action = action
            self.regressionMargin = regressionMargin
            self.nonInferiorityMargin = nonInferiorityMargin
        }
    }

    public var flag: String
    /// The safe variant everyone gets after a rollback.
    public var control: String
    public var treatment: String
    public var stages: [Stage]
    public var guardrails: [Guardrail]
    /// The overall error rate of the comparisons, split (Bonferroni) across the guardrails and
    /// across the stages that have a control arm, since each stage starts a fresh analysis.
    public var alpha: Double
    /// The confidence sequence's tuning constant S.
    public var tuning: Double

    public init(
        flag: String, control: String, treatment: String, stages: [Stage], guardrails: [Guardrail], alpha: Double = 0.05,
        tuning: Double = ConfidenceSequence.defaultTuning
    ) {
        self.flag = flag
        self.control = control
        self.treatment = treatment
        self.stages = stages
        self.guardrails = guardrails
        self.alpha = alpha
        self.tuning = tuning
    }

    /// The default plan: 1 % → 5 % → 20 % → 50 % → 100 % over three weeks (3, 4, 6 and 8 days,
    /// then completion), at least 100 units per arm per stage, rolling back on errors, empty or
    /// refused outputs, holding on changed length, latency, negative feedback and fewer actions.
    public static func standard(flag: String, control: String, treatment: String) -> RolloutPlan {
        let day = 86_400
        return RolloutPlan(
            flag: flag, control: control, treatment: treatment,
            stages: [
                Stage(gate: .percentage(1), minimumDuration: .seconds(3 * day), minimumUnitsPerArm: 100),
                Stage(gate: .percentage(5), minimumDuration: .seconds(4 * day), minimumUnitsPerArm: 100),
                Stage(gate: .percentage(20), minimumDuration: .seconds(6 * day), minimumUnitsPerArm: 100),
                Stage(gate: .percentage(50), minimumDuration: .seconds(8 * day), minimumUnitsPerArm: 100),
                Stage(gate: .percentage(100), minimumDuration: .zero, minimumUnitsPerArm: 0),
            ],
            guardrails: [
                Guardrail(metric: .errorRate, action: .rollback),
                Guardrail(metric: .emptyRate, action: .rollback),
                Guardrail(metric: .refusalRate, action: .rollback),
                Guardrail(metric: .meanOutputChars, action: .hold),
                Guardrail(metric: .latencyMs, action: .hold),
                Guardrail(metric: .negativeFeedbackPerUnit, action: .hold),
                Guardrail(metric: .actionRate, action: .hold),
            ]
        )
    }

    /// What `switchyard rollout template` prints: a segment stage for internal users (one day, 20
    /// units) before the ``standard(flag:control:treatment:)`` percentages, to edit and start.
    public static func template(flag: String, control: String, treatment: String) -> RolloutPlan {
        var plan = standard(flag: flag, control: control, treatment: treatment)
        let internalUsers: JSONValue = ["ends_with": [["var": "email"], "@example.com"]]
        plan.stages.insert(
            Stage(gate: .segment(name: "internal", condition: internalUsers), minimumDuration: .seconds(86_400), minimumUnitsPerArm: 20), at: 0)
        return plan
    }

    /// The stages that compare treatment with control: percentage stages below 100 %.
    public var comparedStages: Int {
        stages.filter { stage in
            if case .percentage(let percent) = stage.gate { return percent < 100 }
            return false
        }.count
    }

    /// The options of the comparison report the plan's decisions rest on: α split across the
    /// compared stages here, and across the guardrails by the report.
    public var reportOptions: VariantReport.Options {
        VariantReport.Options(
            alpha: alpha / Double(max(1, comparedStages)), tuning: tuning, metrics: guardrails.map(\.metric),
            regressionMargins: Dictionary(guardrails.map { ($0.metric, $0.regressionMargin) }, uniquingKeysWith: { first, _ in first }),
            nonInferiorityMargins: Dictionary(
                guardrails.compactMap { guardrail in guardrail.nonInferiorityMargin.map { (guardrail.metric, $0) } },
                uniquingKeysWith: { first, _ in first })
        )
    }
}
