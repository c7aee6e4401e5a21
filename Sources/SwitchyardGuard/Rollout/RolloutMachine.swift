import SwitchyardCore

/// The staged rollout state machine of spec §4, pure: time and statistics are passed in, and every
/// change comes back as a ``RolloutTransition`` for the server to persist, apply and audit.
public struct RolloutMachine: Sendable {
    public let plan: RolloutPlan
    public private(set) var state: RolloutState
    /// The flag's targeting before the rollout began: the plan's part takes its fall-through
    /// (``RolloutPlan/composing(_:into:)``), and an abort or rollback restores its gates.
    public private(set) var base: JSONValue?
    /// The targeting written at each stage, and after an abort or rollback.
    public private(set) var stageTargetings: [JSONValue]
    public private(set) var rolledBackTargeting: JSONValue

    /// A machine for `plan`, in `state` (a fresh draft, or a state read back after a restart), over
    /// the flag's targeting from before the rollout. Refused when `base` has no fall-through the
    /// plan can own.
    public init(plan: RolloutPlan, state: RolloutState = .draft, base: JSONValue? = nil) throws(RolloutError) {
        if let problem = plan.problem { throw .invalidPlan(problem) }
        guard state.stage >= 0 && state.stage < plan.stages.count else { throw .invalidState("stage \(state.stage) is not in the plan") }
        self.plan = plan
        self.state = state
        self.base = base
        var targetings: [JSONValue] = []
        for index in plan.stages.indices { targetings.append(try plan.targeting(atStage: index, base: base)) }
        self.stageTargetings = targetings
        self.rolledBackTargeting = try plan.rolledBackTargeting(base: base)
    }

    /// Takes `targeting` as the flag's own targeting from now on (a person edited it while the
    /// rollout was paused); the next targeting written composes the plan's part into it.
    public mutating func rebase(onto targeting: JSONValue?) throws(RolloutError) {
        self = try RolloutMachine(plan: plan, state: state, base: targeting)
    }

    /// The targeting the plan has written for the current phase and stage: what the flag should
    /// hold while the rollout runs or is paused.
    public var currentTargeting: JSONValue {
        state.phase == .rolledBack ? rolledBackTargeting : stageTargetings[state.stage]
    }

    /// The share of units outside every gate that gets the treatment now, in percent: 0 before
    /// the start and after an abort or rollback.
    public var servedPercent: Double {
        switch state.phase {
        case .draft, .rolledBack: 0
        case .running, .paused, .completed: plan.gates(atStage: state.stage).percent
        }
    }

    /// The configured split of the current stage, for the sample ratio check.
    public var weights: [String: Double] {
        let (percent, _) = plan.gates(atStage: state.stage)
        let weight = Double(RolloutPlan.treatmentWeight(percent: percent))
        return [plan.treatment: weight, plan.control: Double(RolloutPlan.totalWeight) - weight]
    }

    /// The comparison report the next ``step(now:report:)`` needs, from the aggregator's per-unit
    /// totals (which the server resets whenever a stage begins).
    ///
    /// In a percentage stage after segment gates, only units outside every segment are compared,
    /// since the gated segments get the treatment without a control; exposures must carry the
    /// segment for that.
    public func report(_ aggregator: Aggregator, now: Timestamp) -> VariantReport {
        guard !isSegmentStage else {
            return VariantReport(aggregator, flag: plan.flag, control: plan.control, segments: .all, now: now, options: plan.reportOptions)
        }
        let segmented = !plan.gates(atStage: state.stage).segments.isEmpty
        return VariantReport(
            aggregator, flag: plan.flag, control: plan.control, weights: weights, segments: segmented ? .unsegmented : .all, now: now,
            options: plan.reportOptions)
    }

    private var isSegmentStage: Bool {
        if case .segment = plan.stages[state.stage].gate { return true }
        return false
    }

    /// draft → running(stage 0).
    public mutating func start(now: Timestamp) throws(RolloutError) -> RolloutTransition {
        guard state.phase == .draft else { throw .notAllowed("start", in: state.phase) }
        let next = RolloutState(phase: .running, stage: 0, stageStartedAt: now, holding: false, warned: [])
        return apply(.started, to: next, at: now, reason: "started at stage \(plan.stages[0].name)", targeting: stageTargetings[0])
    }

    /// running → paused; the stage's clock stops.
    public mutating func pause(now: Timestamp) throws(RolloutError) -> RolloutTransition {
        guard state.phase == .running else { throw .notAllowed("pause", in: state.phase) }
        var next = state
        next.phase = .paused
        next.pausedAt = now
        return apply(.paused, to: next, at: now, reason: "paused by a person")
    }

    /// paused → running, or lifts a hold; the time spent paused does not count toward the stage.
    public mutating func resume(now: Timestamp) throws(RolloutError) -> RolloutTransition {
        var next = state
        switch state.phase {
        case .paused:
            let pausedFor = now - (state.pausedAt ?? now)
            next.stageStartedAt = state.stageStartedAt.map { $0 + pausedFor }
            next.pausedAt = nil
        case .running where state.holding:
            break
        default:
            throw .notAllowed("resume", in: state.phase)
        }
        next.phase = .running
        next.holding = false
        return apply(.resumed, to: next, at: now, reason: "resumed by a person")
    }

    /// running | paused → rolledBack, by a person.
    public mutating func abort(now: Timestamp) throws(RolloutError) -> RolloutTransition {
        guard state.phase == .running || state.phase == .paused else { throw .notAllowed("abort", in: state.phase) }
        return rollBack(now: now, reason: "aborted by a person", evidence: [], sampleRatio: nil)
    }

    /// What the current stage's evidence says: the guardrails that regressed, and what keeps the
    /// stage from advancing (in words). ``step(now:report:)`` acts on it and `rollout status`
    /// shows it, so both read the same rules.
    public struct Assessment: Sendable {
        /// The treatment's comparisons with control.
        public var comparisons: [MetricComparison]
        /// The guardrails whose metric regressed.
        public var regressed: [RolloutPlan.Guardrail]
        /// Why the stage cannot advance now; empty when it can.
        public var blockers: [String]
        /// The earliest instant the stage's minimum duration allows an advance.
        public var earliestAdvance: Timestamp?
    }

    /// Assesses the current stage on a fresh report.
    public func assess(now: Timestamp, report: VariantReport) -> Assessment {
        let stage = plan.stages[state.stage]
        let comparisons = report.treatments.first { $0.variant == plan.treatment }?.comparisons ?? []
        let regressed = plan.guardrails.filter { guardrail in comparisons.contains { $0.metric == guardrail.metric && $0.verdict == .regression } }
        var blockers: [String] = []
        var earliest: Timestamp?
        switch state.phase {
        case .draft: blockers.append("not started")
        case .paused: blockers.append("paused by a person: resume to go on")
        case .completed: blockers.append("complete: nothing left to advance")
        case .rolledBack: blockers.append("rolled back: start a new rollout to try again")
        case .running: break
        }
        if state.holding { blockers.append("held after a regression: a person must resume") }
        if let startedAt = state.stageStartedAt, state.phase == .running || state.phase == .paused {
            let ready = startedAt + stage.minimumDuration
            earliest = ready
            if state.phase == .running, now < ready {
                blockers.append("time: \(Self.days(ready - now)) left of the stage's \(stage.minimumDuration.compactText)")
            }
        }
        let treatmentUnits = report.arm(plan.treatment)?.units ?? 0
        let controlUnits = report.arm(plan.control)?.units ?? 0
        if treatmentUnits < stage.minimumUnitsPerArm {
            blockers.append("units: \(treatmentUnits) of \(stage.minimumUnitsPerArm) in \(plan.treatment)")
        }
        if !isSegmentStage, controlUnits < stage.minimumUnitsPerArm {
            blockers.append("units: \(controlUnits) of \(stage.minimumUnitsPerArm) in \(plan.control)")
        }
        if !isSegmentStage, report.sampleRatio?.isHealthy != true {
            blockers.append(
                report.sampleRatio == nil
                    ? "sample ratio: not enough exposures to check the split yet"
                    : "sample ratio mismatch: the observed split differs from the configured one")
        }
        for guardrail in regressed where guardrail.action != .warn {
            blockers.append("guardrail \(guardrail.metric.rawValue): regression (\(guardrail.action.rawValue))")
        }
        if !isSegmentStage {
            for guardrail in plan.guardrails where guardrail.nonInferiorityMargin != nil {
                if !comparisons.contains(where: { $0.metric == guardrail.metric && $0.verdict == .nonInferior }) {
                    blockers.append("guardrail \(guardrail.metric.rawValue): not yet shown non-inferior")
                }
            }
        }
        return Assessment(comparisons: comparisons, regressed: regressed, blockers: blockers, earliestAdvance: earliest)
    }

    /// Decides on the current stage from a fresh report: rolls back, holds or warns on a guardrail
    /// regression; advances when ``assess(now:report:)`` finds nothing blocking: the stage's time
    /// has passed, its samples are met, no blocking guardrail regressed, the split is healthy and
    /// non-inferiority holds where configured.
    public mutating func step(now: Timestamp, report: VariantReport) -> [RolloutTransition] {
        guard state.phase == .running, let startedAt = state.stageStartedAt else { return [] }
        let stage = plan.stages[state.stage]
        var assessment = assess(now: now, report: report)
        let comparisons = assessment.comparisons
        let evidence = { (metrics: [GuardrailMetric]) in comparisons.filter { metrics.contains($0.metric) } }
        let regressed = assessment.regressed

        if let rollback = regressed.filter({ $0.action == .rollback }).map(\.metric).nilIfEmpty {
            return [
                rollBack(now: now, reason: "regression in \(Self.names(rollback))", evidence: evidence(rollback), sampleRatio: report.sampleRatio)
            ]
        }
        var transitions: [RolloutTransition] = []
        let newWarnings = regressed.filter { $0.action == .warn && !state.warned.contains($0.metric) }.map(\.metric)
        if !newWarnings.isEmpty {
            var next = state
            next.warned.formUnion(newWarnings)
            transitions.append(
                apply(
                    .warned, to: next, at: now, reason: "regression in \(Self.names(newWarnings))", evidence: evidence(newWarnings),
                    sampleRatio: report.sampleRatio))
        }
        if let holds = regressed.filter({ $0.action == .hold }).map(\.metric).nilIfEmpty, !state.holding {
            var next = state
            next.holding = true
            transitions.append(
                apply(
                    .held, to: next, at: now, reason: "regression in \(Self.names(holds))", evidence: evidence(holds), sampleRatio: report.sampleRatio
                ))
            assessment.blockers.append("held")
        }
        guard assessment.blockers.isEmpty else { return transitions }

        let treatmentUnits = report.arm(plan.treatment)?.units ?? 0
        let controlUnits = report.arm(plan.control)?.units ?? 0
        let nextIndex = state.stage + 1
        let reason = "stage \(stage.name) healthy after \(Self.days(now - startedAt)) with \(treatmentUnits)/\(controlUnits) units"
        // Entering a final 100 % stage, or passing the last stage, completes the rollout.
        let completes = nextIndex == plan.stages.count || (nextIndex == plan.stages.count - 1 && plan.gates(atStage: nextIndex).percent >= 100)
        if completes {
            let finalIndex = min(nextIndex, plan.stages.count - 1)
            let next = RolloutState(phase: .completed, stage: finalIndex, stageStartedAt: now, holding: false, warned: [], endedAt: now)
            let targeting = stageTargetings[finalIndex]
            transitions.append(
                apply(
                    .completed, to: next, at: now, reason: reason + "; rollout complete", evidence: comparisons, sampleRatio: report.sampleRatio,
                    targeting: targeting))
        } else {
            let next = RolloutState(phase: .running, stage: nextIndex, stageStartedAt: now, holding: false, warned: [])
            transitions.append(
                apply(
                    .advanced, to: next, at: now, reason: reason + "; now \(plan.stages[nextIndex].name)", evidence: comparisons,
                    sampleRatio: report.sampleRatio,
                    targeting: stageTargetings[nextIndex]))
        }
        return transitions
    }

    private mutating func rollBack(now: Timestamp, reason: String, evidence: [MetricComparison], sampleRatio: SampleRatioCheck?) -> RolloutTransition
    {
        var next = state
        next.phase = .rolledBack
        next.pausedAt = nil
        next.endedAt = now
        return apply(.rolledBack, to: next, at: now, reason: reason, evidence: evidence, sampleRatio: sampleRatio, targeting: rolledBackTargeting)
    }

    private mutating func apply(
        _ kind: RolloutTransition.Kind, to next: RolloutState, at now: Timestamp, reason: String, evidence: [MetricComparison] = [],
        sampleRatio: SampleRatioCheck? = nil, targeting: JSONValue? = nil
    ) -> RolloutTransition {
        let transition = RolloutTransition(
            kind: kind, at: now, from: state, to: next, reason: reason, evidence: evidence, sampleRatio: sampleRatio, targeting: targeting)
        state = next
        return transition
    }

    private static func names(_ metrics: [GuardrailMetric]) -> String { metrics.map(\.rawValue).joined(separator: ", ") }

    private static func days(_ duration: Duration) -> String {
        let hours = Double(duration.milliseconds) / 3_600_000
        return hours >= 48 ? "\(KillRule.format((hours / 24 * 10).rounded() / 10)) days" : "\(KillRule.format((hours * 10).rounded() / 10)) hours"
    }
}

extension RolloutPlan {
    /// What is wrong with the plan, if anything.
    var problem: String? {
        if stages.isEmpty { return "a plan needs at least one stage" }
        if control == treatment { return "control and treatment must differ" }
        if !(alpha > 0 && alpha < 0.5) { return "alpha must be between 0 and 0.5" }
        if !(tuning > 0) { return "tuning must be positive" }
        var previous = 0.0
        for stage in stages {
            if stage.minimumUnitsPerArm < 0 { return "stage \(stage.name): minimum units must not be negative" }
            if stage.minimumDuration < .zero { return "stage \(stage.name): minimum duration must not be negative" }
            if case .percentage(let percent) = stage.gate {
                if !(percent > 0 && percent <= 100) { return "stage \(stage.name): percentage must be in (0, 100]" }
                if percent < previous { return "stage \(stage.name): percentages must not decrease" }
                previous = percent
            }
        }
        if Set(guardrails.map(\.metric)).count != guardrails.count { return "a metric has two guardrails" }
        return nil
    }
}

extension Array {
    fileprivate var nilIfEmpty: Self? { isEmpty ? nil : self }
}
