import SwitchyardGuard

/// The kill rules attached in this process, measured over this process's own events only.
///
/// Each watched flag has its own aggregates, started afresh when its rules re-arm (a reset or a
/// cool-down), so the evidence behind a trip cannot trip the rule again.
struct LocalBreakers: Sendable {
    private var aggregators: [String: Aggregator] = [:]
    private var evaluators: [KillRuleEvaluator] = []
    /// The partial minutes from each instant a rule was attached or re-armed, so that only events
    /// from then on count, to the millisecond.
    private var partials: [PartialMinute] = []

    private static func makeAggregator() -> Aggregator {
        Aggregator(options: .init(retention: .seconds(86_400), rememberedOutputs: 20_000, tracksUnits: false))
    }

    /// Whether any rule is attached.
    var isEmpty: Bool { evaluators.isEmpty }

    /// The flags with a tripped rule: served their safe variant.
    var killedFlags: Set<String> {
        Set(
            evaluators.compactMap { evaluator in
                if case .tripped = evaluator.state { return evaluator.flag }
                return nil
            })
    }

    mutating func attach(_ rule: KillRule, flag: String, variant: String, control: String?, now: Timestamp) {
        evaluators.append(KillRuleEvaluator(rule: rule, flag: flag, variant: variant, control: control, since: now))
        if aggregators[flag] == nil { aggregators[flag] = Self.makeAggregator() }
        startPartialMinute(of: flag, at: now)
    }

    /// Counts the events that concern watched flags; follow-ups go to every flag's aggregates,
    /// which attribute them through the outputs they remember.
    mutating func observe(_ events: [GuardEvent]) {
        for index in partials.indices { partials[index].add(contentsOf: events) }
        for event in events {
            switch event {
            case .output(let output): aggregators[output.flag]?.add(event)
            case .exposure(let exposure): aggregators[exposure.flag]?.add(event)
            case .feedback, .edit, .action:
                for flag in aggregators.keys { aggregators[flag]?.add(event) }
            case .breakerTrip: break
            }
        }
    }

    /// Evaluates every rule; returns the rules that tripped now.
    mutating func evaluate(now: Timestamp) -> [KillRuleTrip] {
        let killedBefore = killedFlags
        var trips: [KillRuleTrip] = []
        for index in evaluators.indices {
            guard let aggregator = aggregators[evaluators[index].flag] else { continue }
            if case .tripped(let trip) = evaluators[index].evaluate(aggregator, now: now, partials: partials) { trips.append(trip) }
        }
        for flag in killedBefore.subtracting(killedFlags) { aggregators[flag] = Self.makeAggregator() }
        return trips
    }

    /// Re-arms every rule of `flag` and forgets its aggregates; returns whether one was tripped.
    mutating func reset(_ flag: String, now: Timestamp) -> Bool {
        var wasTripped = false
        for index in evaluators.indices where evaluators[index].flag == flag {
            if case .tripped = evaluators[index].state { wasTripped = true }
            evaluators[index].reset(now: now)
        }
        if aggregators[flag] != nil { aggregators[flag] = Self.makeAggregator() }
        startPartialMinute(of: flag, at: now)
        return wasTripped
    }

    private mutating func startPartialMinute(of flag: String, at now: Timestamp) {
        partials.removeAll { $0.since.minute < now.minute - 1 }
        if !partials.contains(where: { $0.flag == flag && $0.since == now }) { partials.append(PartialMinute(flag: flag, since: now)) }
    }
}
