import SwitchyardCore
import SwitchyardStore

/// The kill of a flag as pages show it.
struct KillView {
    let reason: String
    let by: String
    let guardrail: Bool
    let at: String
    let atISO: String

    init(_ kill: StoredFlag.Kill) {
        reason = kill.reason
        by = Formatting.killer(kill)
        guardrail = kill.by.id == "guardrails"
        at = Formatting.time(kill.at)
        atISO = Formatting.iso(kill.at)
    }
}

/// A rollout in one line.
struct RolloutSummaryView {
    let phase: String
    let stage: String
    let percent: String

    init?(_ status: JSONValue?) {
        guard let status, let phase = status["phase"]?.stringValue else { return nil }
        self.phase = phase
        stage = status["stage"]?.stringValue ?? "?"
        percent = Formatting.number(status["treatmentPercent"])
    }

    var isActive: Bool { phase == "running" || phase == "paused" }
}

/// The kill rules in one cell.
struct RulesSummaryView {
    let count: Int
    let close: Bool
    let tripped: Bool

    init?(_ rules: JSONValue?) {
        guard let items = rules?["rules"]?.arrayValue, !items.isEmpty else { return nil }
        count = items.count
        tripped = items.contains { $0["trip"] != nil }
        close =
            !tripped
            && items.contains { item in
                (item["current"]?.objectValue ?? [:]).values.contains { RuleMeasurementView.isClose($0) }
            }
    }
}

/// One rule against one variant: what would trip.
struct RuleMeasurementView {
    let rule: String
    let variant: String
    let observed: String
    let bound: String
    let limit: String
    let samples: String
    let tripped: Bool
    let close: Bool
    /// Neither tripped nor close (stored: templates read stored properties only).
    let ok: Bool

    init(rule: String, variant: String, observed: String, bound: String, limit: String, samples: String, tripped: Bool, close: Bool) {
        self.rule = rule
        self.variant = variant
        self.observed = observed
        self.bound = bound
        self.limit = limit
        self.samples = samples
        self.tripped = tripped
        self.close = close
        self.ok = !tripped && !close
    }

    /// A measurement breaching, or whose bound is within 20 % of the limit.
    static func isClose(_ measurement: JSONValue) -> Bool {
        if measurement["breaches"] == true { return true }
        guard let bound = measurement["bound"]?.numberValue, let limit = measurement["limit"]?.numberValue, limit != 0 else { return false }
        return abs(bound - limit) <= 0.2 * abs(limit)
    }

    static func rows(_ rules: JSONValue?) -> [RuleGroupView] {
        (rules?["rules"]?.arrayValue ?? []).map { item in
            let text = item["text"]?.stringValue ?? item["rule"]?.serialized() ?? "?"
            let minSamples = item["minSamples"].map { Formatting.number($0) }
            let trippedVariant = item["trip"]?["variant"]?.stringValue
            var measurements = (item["current"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { variant, measurement in
                RuleMeasurementView(
                    rule: text, variant: variant, observed: Formatting.number(measurement["observed"]),
                    bound: Formatting.number(measurement["bound"]), limit: Formatting.number(measurement["limit"]),
                    samples: Formatting.number(measurement["samples"]) + (minSamples.map { " of \($0) needed" } ?? ""),
                    tripped: trippedVariant == variant || (item["trip"] != nil && trippedVariant == nil),
                    close: isClose(measurement) && item["trip"] == nil)
            }
            if measurements.isEmpty {
                measurements = [
                    RuleMeasurementView(
                        rule: text, variant: trippedVariant ?? "–", observed: "not measured yet", bound: "n/a", limit: "n/a",
                        samples: "0" + (minSamples.map { " of \($0) needed" } ?? ""),
                        tripped: item["trip"] != nil, close: false)
                ]
            }
            return RuleGroupView(measurements: measurements)
        }
    }
}

struct RuleGroupView {
    let measurements: [RuleMeasurementView]
}

/// One row of the flags list.
struct FlagRowView {
    let key: String
    let type: String
    let state: String
    let stateClass: String
    let permanent: Bool
    let killed: KillView?
    let rollout: RolloutSummaryView?
    let rules: RulesSummaryView?
    let lastOutput: String
    let updated: String
    let updatedISO: String

    init(_ flag: StoredFlag, guardrails: DashboardGuardrails?) {
        key = flag.key
        type = Formatting.type(of: flag)
        state = Formatting.state(of: flag)
        stateClass = state == "ENABLED" ? "ok" : "off"
        permanent = flag.isPermanent
        killed = flag.kill.map(KillView.init)
        rollout = RolloutSummaryView(guardrails?.rollout)
        rules = RulesSummaryView(guardrails?.rules)
        lastOutput = guardrails?.rules["lastOutputAt"]?.numberValue.map { Formatting.time(milliseconds: Int64($0)) } ?? "never"
        updated = Formatting.time(flag.updatedAt)
        updatedISO = Formatting.iso(flag.updatedAt)
    }
}
