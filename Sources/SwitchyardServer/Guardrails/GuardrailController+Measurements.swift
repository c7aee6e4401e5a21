import SwitchyardCore
import SwitchyardGuard
import SwitchyardStore

extension GuardrailController {
    /// Per rule, the latest measurement of each watched variant: the one the rule-running server
    /// took, or, where this server took none (another replica of a shared store runs the rules, or
    /// none has run yet), one taken now on the same aggregates, without side effects.
    func measurements(of flag: StoredFlag, rules: [StoredKillRule], in environment: String) async throws -> [[String: KillRuleMeasurement]] {
        var taken = await watch.measurements(of: flag.key, in: environment)
        guard taken.count < rules.count || taken.contains(where: \.isEmpty) else { return taken }
        taken += Array(repeating: [:], count: max(0, rules.count - taken.count))
        let now = clock.now
        let (aggregator, partials) = try await ingestor.aggregates(of: environment, now: now)
        let safe = flag.safeVariant
        for (position, stored) in rules.enumerated() where taken[position].isEmpty && stored.trip == nil {
            guard let rule = try? KillRule(storedJSON: stored.rule) else { continue }
            let since = Timestamp(millisecondsSinceEpoch: stored.armedAt)
            for variant in aggregator.variants(of: flag.key) where variant != safe {
                var evaluator =
                    if let state = stored.cusum[variant].flatMap({ try? CUSUMState(json: $0) }) {
                        KillRuleEvaluator(rule: rule, flag: flag.key, variant: variant, control: safe, since: since, resuming: state)
                    } else {
                        KillRuleEvaluator(rule: rule, flag: flag.key, variant: variant, control: safe, since: since)
                    }
                switch evaluator.evaluate(aggregator, now: now, partials: partials) {
                case .clear(let measurement): taken[position][variant] = measurement
                case .tripped(let trip): taken[position][variant] = trip.measurement
                case .stillTripped: break
                }
            }
        }
        return taken
    }
}
