import Foundation
import SwitchyardCore
import SwitchyardStore

/// Everything the flag page shows.
struct FlagPageView {
    struct Variant {
        let name: String
        let value: String
        let role: String
    }

    struct Targeting {
        let lines: [String]
    }

    struct Rollout {
        struct Stage {
            let name: String
            let gate: String
            let minDuration: String
            let minUnits: String
            let status: String
            /// Stored: templates read stored properties only.
            let isCurrent: Bool
        }

        struct Command {
            let command: String
            let label: String
            let danger: Bool
        }

        let phase: String
        let stage: String
        let percent: String
        let next: String?
        let earliest: String?
        let blockers: [String]
        let hasBlockers: Bool
        let timeline: [Stage]
        let commands: [Command]
    }

    struct Chart {
        struct Value {
            let variant: String
            let value: String
        }

        let title: String
        let svg: String
        let values: [Value]
    }

    struct Arm {
        let index: Int
        let variant: String
        let units: String
        let outputs: String
    }

    struct Comparison {
        let variant: String
        let metric: String
        let control: String
        let treatment: String
        let difference: String
        let verdict: String
    }

    struct Propagation {
        let version: String
        let connected: String
        let delivered: String
        let applied: String
        let deliveredP50: String
        let deliveredP99: String
        let appliedP50: String
        let appliedP99: String
        let withoutReceipts: String
        let behind: [String]
        let hasBehind: Bool
    }

    let key: String
    let environment: String
    let csrf: String
    let version: Int64
    let type: String
    let state: String
    let stateClass: String
    let permanent: Bool
    let killed: KillView?
    let isKilled: Bool
    let safeVariant: String
    let defaultVariant: String
    let variants: [Variant]
    let targeting: Targeting?
    let segments: [String]
    let hasSegments: Bool
    let rollout: Rollout?
    let arms: [Arm]
    let charts: [Chart]
    let hasCharts: Bool
    /// A report exists but no variant has had an output in the window.
    let noOutputs: Bool
    let control: String
    let comparisons: [Comparison]
    let hasComparisons: Bool
    let hasGuardrails: Bool
    let lastOutput: String
    let rules: [RuleGroupView]
    let hasRules: Bool
    let propagation: Propagation?
    let definition: String
    let problems: [ProblemView]
    let hasProblems: Bool
    let problemCount: Int
    let entries: [AuditEntryView]
}

struct ProblemView {
    let path: String
    let message: String
}

extension FlagPageView {
    init(
        flag: StoredFlag, environment: String, csrf: String, guardrails: DashboardGuardrails?, propagation: JSONValue?,
        audit: [AuditEntry], definition: String?, problems: [DocumentProblem]
    ) {
        key = flag.key
        self.environment = environment
        self.csrf = csrf
        version = flag.version
        type = Formatting.type(of: flag)
        state = Formatting.state(of: flag)
        stateClass = state == "ENABLED" ? "ok" : "off"
        permanent = flag.isPermanent
        killed = flag.kill.map(KillView.init)
        isKilled = flag.kill != nil
        let defaultName = flag.definition["defaultVariant"]?.stringValue
        let safeName = KillSwitch.safeVariant(of: flag.definition)
        safeVariant = safeName ?? "the code default"
        defaultVariant = defaultName ?? "the code default"
        variants = (flag.definition["variants"]?.objectValue ?? [:]).sorted { $0.key < $1.key }.map { name, value in
            var roles: [String] = []
            if name == defaultName { roles.append("default") }
            if name == safeName { roles.append("safe (served when killed)") }
            return Variant(name: name, value: value.serialized(), role: roles.joined(separator: ", "))
        }
        let text = TargetingText(flag.definition["targeting"])
        targeting = text.lines.isEmpty ? nil : Targeting(lines: text.lines)
        segments = text.segments
        hasSegments = !text.segments.isEmpty
        rollout = Self.rollout(guardrails?.rollout)
        let report = guardrails?.report
        let armsJSON = report?["arms"]?.arrayValue ?? []
        arms = armsJSON.enumerated().map { index, arm in
            Arm(
                index: index % SparklineChart.colors.count, variant: arm["variant"]?.stringValue ?? "?",
                units: Formatting.number(arm["units"]), outputs: Formatting.number(arm["outputs"]))
        }
        // Charts of nothing say nothing: they appear once some variant has outputs.
        let hasOutputs = armsJSON.contains { ($0["outputs"]?.numberValue ?? 0) > 0 }
        charts = hasOutputs ? Self.charts(armsJSON) : []
        hasCharts = !charts.isEmpty
        noOutputs = report != nil && !hasOutputs
        control = report?["control"]?.stringValue ?? ""
        comparisons = (report?["treatments"]?.arrayValue ?? []).flatMap { treatment in
            (treatment["comparisons"]?.arrayValue ?? []).map { comparison in
                let isLog = comparison["scale"] == "log"
                let difference =
                    isLog
                    ? "×\(Formatting.number(comparison["ratio"])) [\(Formatting.number(comparison["ratioLower"])), \(Formatting.number(comparison["ratioUpper"]))]"
                    : "\(Formatting.number(comparison["difference"])) [\(Formatting.number(comparison["lower"])), \(Formatting.number(comparison["upper"]))]"
                return Comparison(
                    variant: treatment["variant"]?.stringValue ?? "?", metric: comparison["metric"]?.stringValue ?? "?",
                    control: Formatting.number(comparison["control"]), treatment: Formatting.number(comparison["treatment"]),
                    difference: difference, verdict: comparison["verdict"]?.stringValue ?? "?")
            }
        }
        hasComparisons = !comparisons.isEmpty
        hasGuardrails = guardrails != nil
        lastOutput = guardrails?.rules["lastOutputAt"]?.numberValue.map { Formatting.time(milliseconds: Int64($0)) } ?? "never"
        rules = RuleMeasurementView.rows(guardrails?.rules)
        hasRules = !rules.isEmpty
        self.propagation = propagation.map { body in
            let behind = body["behindClients"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return Propagation(
                version: Formatting.number(body["version"]), connected: Formatting.number(body["connectedClients"]),
                delivered: Formatting.number(body["delivered"]), applied: Formatting.number(body["applied"]),
                deliveredP50: Formatting.milliseconds(body["deliveredP50Ms"]), deliveredP99: Formatting.milliseconds(body["deliveredP99Ms"]),
                appliedP50: Formatting.milliseconds(body["appliedP50Ms"]), appliedP99: Formatting.milliseconds(body["appliedP99Ms"]),
                withoutReceipts: Formatting.number(body["clientsWithoutReceipts"]), behind: behind, hasBehind: !behind.isEmpty)
        }
        self.definition = definition ?? Self.editable(flag.definition)
        self.problems = problems.map { ProblemView(path: $0.path.isEmpty ? "(the flag)" : $0.path, message: $0.message) }
        hasProblems = !problems.isEmpty
        problemCount = problems.count
        entries = audit.map(AuditEntryView.init)
    }

    /// The definition as the editor shows it: pretty JSON without the key.
    static func editable(_ definition: JSONValue) -> String {
        guard case .object(var members) = definition else { return Formatting.pretty(definition) }
        members["key"] = nil
        return JSONValue.object(members).serialized(pretty: true)
    }

    static func rollout(_ status: JSONValue?) -> Rollout? {
        guard let status, let phase = status["phase"]?.stringValue else { return nil }
        let commands: [Rollout.Command] =
            switch phase {
            case "running":
                [.init(command: "pause", label: "Pause", danger: false), .init(command: "abort", label: "Abort and roll back", danger: true)]
            case "paused":
                [.init(command: "resume", label: "Resume", danger: false), .init(command: "abort", label: "Abort and roll back", danger: true)]
            default: []
            }
        let blockers = status["blockers"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return Rollout(
            phase: phase, stage: status["stage"]?.stringValue ?? "?", percent: Formatting.number(status["treatmentPercent"]),
            next: status["nextStage"]?.stringValue,
            earliest: status["earliestAdvanceInMs"]?.numberValue.map { Formatting.duration(milliseconds: Int64($0)) }, blockers: blockers,
            hasBlockers: !blockers.isEmpty,
            timeline: (status["timeline"]?.arrayValue ?? []).map { stage in
                let gate =
                    if let percent = stage["percent"] { "\(Formatting.number(percent)) % of everyone" } else {
                        "segment \(stage["segment"]?.stringValue ?? "?")"
                    }
                return Rollout.Stage(
                    name: stage["name"]?.stringValue ?? "?", gate: gate, minDuration: stage["minDuration"]?.stringValue ?? "?",
                    minUnits: Formatting.number(stage["minUnitsPerArm"]), status: stage["status"]?.stringValue ?? "?",
                    isCurrent: stage["status"] == "current")
            }, commands: commands)
    }

    static func charts(_ arms: [JSONValue]) -> [Chart] {
        let metrics = Set(arms.flatMap { $0["sparklines"]?.objectValue?.keys.map { $0 } ?? [] })
        let ordered =
            SparklineChart.metricTitles.filter { metrics.contains($0.metric) }
            + metrics.subtracting(SparklineChart.metricTitles.map(\.metric)).sorted().map { ($0, $0) }
        return ordered.map { metric, title in
            let series = arms.map { arm in
                (variant: arm["variant"]?.stringValue ?? "?", points: (arm["sparklines"]?[metric]?.arrayValue ?? []).map(\.numberValue))
            }
            let values = arms.map { Chart.Value(variant: $0["variant"]?.stringValue ?? "?", value: Formatting.number($0["values"]?[metric])) }
            return Chart(title: title, svg: SparklineChart(title: title, series: series).svg, values: values)
        }
    }
}

/// One audit entry with its before and after.
struct AuditEntryView {
    let action: String
    let flag: String?
    let author: String
    let at: String
    let atISO: String
    let reason: String?
    let version: Int64?
    let before: String
    let after: String
    let hasDiff: Bool

    init(_ entry: AuditEntry) {
        action = entry.action
        flag = entry.flagKey
        author = entry.author.id == "guardrails" ? "guardrail" : "\(entry.author.name) (\(entry.author.id))"
        at = Formatting.time(entry.at)
        atISO = Formatting.iso(entry.at)
        reason = entry.reason
        version = entry.version
        before = entry.before.map { $0.serialized(pretty: true) } ?? "(none)"
        after = entry.after.map { $0.serialized(pretty: true) } ?? "(none)"
        hasDiff = entry.before != nil || entry.after != nil
    }
}
