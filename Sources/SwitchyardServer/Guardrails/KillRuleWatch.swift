import Logging
import SwitchyardCore
import SwitchyardGuard
import SwitchyardStore

/// The kill rules attached to flags, watched over the fleet's aggregates.
///
/// Each rule watches every variant of its flag except the safe variant (the flag's `safeVariant`,
/// else its `defaultVariant`), which is also the control of ratio rules. A trip is recorded, kills
/// the flag through the ``FlagWriter`` with the numbers as the reason, is logged and alerts every
/// webhook. A tripped rule stays tripped until the flag is unkilled, the rules are reset, or the
/// rule's cool-down ends (which also lifts the kill if the guardrails made it).
///
/// The CUSUM fast path of an armed rule is stored after every evaluation round that moved it, and
/// resumed at start, so a slowly building breach trips after a restart when it would have without.
actor KillRuleWatch {
    private struct Watched {
        let rule: KillRule
        var stored: StoredKillRule
        var evaluators: [String: KillRuleEvaluator] = [:]
        /// The latest measurement of each watched variant: what `GET …/rules` shows.
        var measurements: [String: KillRuleMeasurement] = [:]
    }

    private let store: any FlagStore & GuardrailStore
    private let writer: FlagWriter
    private let ingestor: EventIngestor
    private let alerts: AlertQueue
    private let logger: Logger
    /// Environment → flag → rules in position order.
    private var watched: [String: [String: [Watched]]] = [:]

    init(store: any FlagStore & GuardrailStore, writer: FlagWriter, ingestor: EventIngestor, alerts: AlertQueue, logger: Logger) {
        self.store = store
        self.writer = writer
        self.ingestor = ingestor
        self.alerts = alerts
        self.logger = logger
    }

    /// Reads an environment's rules, their trips and their CUSUM progress from the store.
    func load(_ environment: String) async throws {
        var flags: [String: [Watched]] = [:]
        let state = try await store.state(of: environment)
        for stored in try await store.killRules(in: environment) {
            var entry = Watched(rule: try KillRule(storedJSON: stored.rule), stored: stored)
            for (variant, json) in stored.cusum {
                do {
                    entry.evaluators[variant] = KillRuleEvaluator(
                        rule: entry.rule, flag: stored.flag, variant: variant, control: state.flags[stored.flag]?.safeVariant,
                        since: Timestamp(millisecondsSinceEpoch: stored.armedAt), resuming: try CUSUMState(json: json))
                } catch {
                    entry.stored.cusum[variant] = nil
                    logger.warning(
                        "stored CUSUM state ignored",
                        metadata: [
                            "environment": .string(environment), "flag": .string(stored.flag), "variant": .string(variant), "error": "\(error)",
                        ])
                }
            }
            flags[stored.flag, default: []].append(entry)
        }
        watched[environment] = flags
    }

    /// A flag's rules as stored.
    func rules(of flag: String, in environment: String) -> [StoredKillRule] {
        (watched[environment]?[flag] ?? []).map(\.stored)
    }

    /// The latest measurement of each variant each of a flag's rules watches, in rule order.
    func measurements(of flag: String, in environment: String) -> [[String: KillRuleMeasurement]] {
        (watched[environment]?[flag] ?? []).map(\.measurements)
    }

    /// Replaces a flag's rules; they watch data from `now` on.
    func replace(_ rules: [KillRule], of flag: String, in environment: String, by author: Author, now: Timestamp) async throws -> [StoredKillRule] {
        let stored = try await store.replaceKillRules(
            of: flag, in: environment, with: rules.map(\.json), armedAt: now.millisecondsSinceEpoch, by: author)
        watched[environment, default: [:]][flag] = zip(rules, stored).map { Watched(rule: $0, stored: $1) }
        await ingestor.startPartialMinute(of: flag, at: now, in: environment)
        return stored
    }

    /// Re-arms every tripped rule of a flag; data before `now` no longer counts. The kill stays
    /// until someone unkills the flag.
    func reset(_ flag: String, in environment: String, by author: Author, now: Timestamp) async throws -> [StoredKillRule] {
        for index in (watched[environment]?[flag] ?? []).indices {
            try await rearm(flag, index, in: environment, now: now, by: author, reason: "rules reset by \(author.name)")
        }
        return rules(of: flag, in: environment)
    }

    /// Evaluates every rule of every environment once.
    func evaluate(now: Timestamp) async {
        for environment in watched.keys.sorted() {
            do {
                try await evaluate(environment, now: now)
            } catch {
                logger.error("kill rule evaluation failed", metadata: ["environment": .string(environment), "error": "\(error)"])
            }
        }
    }

    private func evaluate(_ environment: String, now: Timestamp) async throws {
        guard let flags = watched[environment], !flags.isEmpty else { return }
        let (aggregator, partials) = try await ingestor.aggregates(of: environment, now: now)
        let state = try await store.state(of: environment)
        var progress: [KillRuleCUSUMRow] = []
        for flagKey in flags.keys.sorted() {
            guard let flag = state.flags[flagKey] else { continue }
            let safe = flag.safeVariant
            for index in flags[flagKey]!.indices {
                guard let current = watched[environment]?[flagKey], index < current.count else { break }
                if let trip = current[index].stored.trip {
                    try await watchTripped(flagKey, index, trip: trip, flag: flag, in: environment, now: now)
                } else {
                    progress += try await watchArmed(
                        flagKey, index, safe: safe, flag: flag, aggregator: aggregator, partials: partials, in: environment, now: now)
                }
            }
        }
        try await saveProgress(progress, in: environment)
    }

    /// Stores the CUSUM states that moved in this round, then notes them as stored.
    private func saveProgress(_ rows: [KillRuleCUSUMRow], in environment: String) async throws {
        guard !rows.isEmpty else { return }
        try await store.saveCUSUMStates(rows, in: environment)
        for row in rows {
            guard let rules = watched[environment]?[row.flag], rules.indices.contains(row.position),
                rules[row.position].stored.armedAt == row.armedAt, rules[row.position].stored.trip == nil
            else { continue }
            watched[environment]![row.flag]![row.position].stored.cusum[row.variant] = row.state
        }
    }

    /// A tripped rule re-arms when a person unkilled the flag, or when its cool-down ends.
    private func watchTripped(_ flagKey: String, _ index: Int, trip: RuleTrip, flag: StoredFlag, in environment: String, now: Timestamp) async throws
    {
        let rule = watched[environment]![flagKey]![index].rule
        guard flag.kill != nil else {
            try await rearm(flagKey, index, in: environment, now: now, by: FlagWriter.guardrails, reason: "the flag was unkilled")
            return
        }
        guard let cooldown = rule.cooldown, now >= Timestamp(millisecondsSinceEpoch: trip.at) + cooldown else { return }
        try await rearm(flagKey, index, in: environment, now: now, by: FlagWriter.guardrails, reason: "cool-down of \(cooldown.compactText) ended")
        let stillTripped = watched[environment]?[flagKey]?.contains { $0.stored.trip != nil } ?? false
        if !stillTripped, flag.kill?.by == FlagWriter.guardrails {
            try await writer.apply(.unkill(key: flagKey), to: environment, by: FlagWriter.guardrails, reason: "kill rule '\(rule.text)' cooled down")
        }
    }

    /// Evaluates an armed rule on every watched variant; returns the CUSUM states that moved, unless
    /// the rule tripped (which ends them).
    private func watchArmed(
        _ flagKey: String, _ index: Int, safe: String?, flag: StoredFlag, aggregator: Aggregator, partials: [PartialMinute],
        in environment: String, now: Timestamp
    ) async throws -> [KillRuleCUSUMRow] {
        var entry = watched[environment]![flagKey]![index]
        let since = Timestamp(millisecondsSinceEpoch: entry.stored.armedAt)
        var tripped: KillRuleTrip?
        var progress: [KillRuleCUSUMRow] = []
        for variant in aggregator.variants(of: flagKey) where variant != safe {
            var evaluator =
                entry.evaluators[variant] ?? KillRuleEvaluator(rule: entry.rule, flag: flagKey, variant: variant, control: safe, since: since)
            switch evaluator.evaluate(aggregator, now: now, partials: partials) {
            case .tripped(let trip):
                if tripped == nil { tripped = trip }
                entry.measurements[variant] = trip.measurement
            case .clear(let measurement):
                entry.measurements[variant] = measurement
            case .stillTripped:
                break
            }
            entry.evaluators[variant] = evaluator
            if let state = evaluator.cusumState?.json, state != entry.stored.cusum[variant] {
                progress.append(KillRuleCUSUMRow(flag: flagKey, position: index, armedAt: entry.stored.armedAt, variant: variant, state: state))
            }
        }
        if let tripped {
            entry.stored.trip = RuleTrip(at: tripped.at.millisecondsSinceEpoch, details: tripped.json)
            entry.stored.cusum = [:]
        }
        watched[environment]![flagKey]![index] = entry
        guard let tripped else { return progress }
        try await trip(tripped, position: index, flag: flag, in: environment)
        return []
    }

    /// Records the trip, kills the flag (unless already killed), logs and alerts.
    private func trip(_ trip: KillRuleTrip, position: Int, flag: StoredFlag, in environment: String) async throws {
        let reason = trip.description
        logger.error(
            "kill rule tripped",
            metadata: [
                "environment": .string(environment), "flag": .string(trip.flag), "variant": .string(trip.variant), "rule": .string(trip.rule.text),
                "measurement": .string(trip.measurement.description),
            ])
        var alert: [String: JSONValue] = [
            "event": "killRule.tripped", "environment": .string(environment), "trip": trip.json, "message": .string(reason),
        ]
        if flag.kill == nil {
            let change = try await writer.apply(.kill(key: trip.flag), to: environment, by: FlagWriter.guardrails, reason: reason)
            alert["killed"] = true
            alert["version"] = .integer(change.version)
        } else {
            alert["killed"] = false
        }
        alerts.send(.object(alert))
        try await store.recordTrip(
            RuleTrip(at: trip.at.millisecondsSinceEpoch, details: trip.json), of: trip.flag, position: position, in: environment, rearmedAt: nil,
            by: FlagWriter.guardrails, action: "rule.trip", reason: reason)
    }

    private func rearm(_ flagKey: String, _ index: Int, in environment: String, now: Timestamp, by author: Author, reason: String) async throws {
        guard var entry = watched[environment]?[flagKey]?[index], entry.stored.trip != nil else { return }
        entry.stored.trip = nil
        entry.stored.armedAt = now.millisecondsSinceEpoch
        entry.stored.cusum = [:]
        entry.evaluators = [:]
        entry.measurements = [:]
        watched[environment]![flagKey]![index] = entry
        await ingestor.startPartialMinute(of: flagKey, at: now, in: environment)
        try await store.recordTrip(
            nil, of: flagKey, position: index, in: environment, rearmedAt: now.millisecondsSinceEpoch, by: author, action: "rule.rearm",
            reason: "kill rule '\(entry.rule.text)' re-armed: \(reason)")
        logger.notice(
            "kill rule re-armed",
            metadata: ["environment": .string(environment), "flag": .string(flagKey), "rule": .string(entry.rule.text), "reason": .string(reason)])
    }
}
