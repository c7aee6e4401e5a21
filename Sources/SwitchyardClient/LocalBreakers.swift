import SwitchyardGuard

/// The kill rules attached in this process, measured over this process's own events only.
struct LocalBreakers: Sendable {
    private var aggregator = Aggregator(options: .init(retention: .seconds(86_400), rememberedOutputs: 20_000, tracksUnits: false))
    private var evaluators: [KillRuleEvaluator] = []

    /// Whether any rule is attached.
    var isEmpty: Bool { evaluators.isEmpty }

    /// The flags with a tripped rule: served their safe variant.
    var killedFlags: Set<String> {
        Set(evaluators.compactMap { evaluator in
            if case .tripped = evaluator.state { return evaluator.flag }
            return nil
        })
    }

    /// Whether a rule watches `flag`.
    func watches(_ flag: String) -> Bool {
        evaluators.contains { $0.flag == flag }
    }

    mutating func attach(_ rule: KillRule, flag: String, variant: String, control: String?, now: Timestamp) {
        evaluators.append(KillRuleEvaluator(rule: rule, flag: flag, variant: variant, control: control, since: now))
    }

    /// Counts the events that concern watched flags (follow-ups are attributed through their output).
    mutating func observe(_ events: [GuardEvent]) {
        guard !evaluators.isEmpty else { return }
        for event in events {
            switch event {
            case .output(let output) where watches(output.flag): aggregator.add(event)
            case .exposure(let exposure) where watches(exposure.flag): aggregator.add(event)
            case .feedback, .edit, .action: aggregator.add(event)
            default: break
            }
        }
    }

    /// Evaluates every rule; returns the rules that tripped now.
    mutating func evaluate(now: Timestamp) -> [KillRuleTrip] {
        var trips: [KillRuleTrip] = []
        for index in evaluators.indices {
            if case .tripped(let trip) = evaluators[index].evaluate(aggregator, now: now) { trips.append(trip) }
        }
        return trips
    }

    /// Re-arms every rule of `flag`; returns whether one was tripped.
    mutating func reset(_ flag: String, now: Timestamp) -> Bool {
        var wasTripped = false
        for index in evaluators.indices where evaluators[index].flag == flag {
            if case .tripped = evaluators[index].state { wasTripped = true }
            evaluators[index].reset(now: now)
        }
        return wasTripped
    }
}
