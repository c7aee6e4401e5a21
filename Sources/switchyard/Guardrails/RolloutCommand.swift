import ArgumentParser
import SwitchyardCore
import SwitchyardGuard

/// `switchyard rollout start|status|pause|resume|abort FLAG` and `switchyard rollout template`.
struct Rollout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a staged rollout that advances only while the treatment is healthy.",
        subcommands: [Start.self, Status.self, Pause.self, Resume.self, Abort.self, Template.self]
    )

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a rollout plan (JSON file), or the default 1 → 5 → 20 → 50 → 100 % plan over three weeks.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String
        @Option(help: "A plan as JSON (see docs/guardrails.md); the default plan when omitted.") var plan: String?
        @Option(help: "The control variant of the default plan (default: the flag's safe variant).") var control: String?
        @Option(help: "The treatment variant of the default plan (default: the only other variant).") var treatment: String?
        @ArgumentParser.Flag(help: "Start nothing: print the targeting each stage would write, as a diff against today's.")
        var dryRun = false

        func run() async throws {
            let body = try plan.map { Array(try readJSON($0).serialized().utf8) }
            var query = [("control", control), ("treatment", treatment)].compactMap { name, value in value.map { (name, $0) } }
            if dryRun { query.append(("dryRun", "true")) }
            let answer = try await options.client().send(.POST, "/api/v1/flags/\(AdminClient.segment(key))/rollout", query: query, body: body).json
            if options.json { return printJSON(answer) }
            if dryRun { return printDryRun(answer) }
            printRollout(answer)
        }

        private func printDryRun(_ answer: JSONValue) {
            let today = (answer["current"] ?? .null).serialized(pretty: true)
            print("Dry run: nothing was started. The flag's targeting today:\n\(today.terminalSafe(keepingNewlines: true))")
            for stage in answer["stages"]?.arrayValue ?? [] {
                print("\nstage \(stage["name"]?.cell ?? "?"):")
                print(LineDiff.render(from: today, to: (stage["targeting"] ?? .null).serialized(pretty: true)).terminalSafe(keepingNewlines: true))
            }
            print("\nafter an abort or rollback:")
            print(LineDiff.render(from: today, to: (answer["rolledBack"] ?? .null).serialized(pretty: true)).terminalSafe(keepingNewlines: true))
        }
    }

    struct Template: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a starting plan (JSON) to edit and pass to `rollout start --plan` or `plan --plan`.")
        @Option(help: "The flag key.") var flag = "ai-document-summary"
        @Option(help: "The control (safe) variant.") var control = "off"
        @Option(help: "The treatment variant.") var treatment = "on"

        func run() {
            print(RolloutPlan.template(flag: flag, control: control, treatment: treatment).json.serialized(pretty: true))
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a rollout's stage, state and current comparison.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String

        func run() async throws {
            let answer = try await options.client().send(.GET, "/api/v1/flags/\(AdminClient.segment(key))/rollout").json
            if options.json { return printJSON(answer) }
            printRollout(answer)
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause a rollout; its stage clock stops.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String

        func run() async throws { try await command("pause", key, options) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused or held rollout.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String

        func run() async throws { try await command("resume", key, options) }
    }

    struct Abort: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Abort a rollout: everyone gets the control.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String

        func run() async throws { try await command("abort", key, options) }
    }
}

private func command(_ name: String, _ key: String, _ options: ServerOptions) async throws {
    let answer = try await options.client().send(.POST, "/api/v1/flags/\(AdminClient.segment(key))/rollout/\(name)").json
    if options.json { return printJSON(answer) }
    printRollout(answer)
}

private func printRollout(_ rollout: JSONValue) {
    let state = rollout["state"]
    var line = "\(rollout["flag"]?.cell ?? "?"): \(state?["phase"]?.cell ?? "?") at stage \(rollout["stage"]?.cell ?? "?")"
    line += " (\(rollout["treatmentPercent"]?.numberValue.map(KillRule.format) ?? "?")% of everyone outside the flag's own gates gets the treatment)"
    print(line)
    let timeline = rollout["timeline"]?.arrayValue ?? []
    if !timeline.isEmpty {
        printTable(
            ["", "STAGE", "GATE", "MIN DURATION", "MIN UNITS/ARM", "STATUS"],
            timeline.map { stage in
                let marker = stage["status"] == "current" ? "▶" : ""
                let gate = stage["segment"].map { "segment \($0.cell)" } ?? "\(stage["percent"]?.numberValue.map(KillRule.format) ?? "?")%"
                return [
                    marker, stage["name"]?.cell ?? "", gate, stage["minDuration"]?.cell ?? "", stage["minUnitsPerArm"]?.cell ?? "",
                    stage["status"]?.cell ?? "",
                ]
            })
    }
    if let inMs = rollout["earliestAdvanceInMs"]?.numberValue {
        let hours = inMs / 3_600_000
        print(
            inMs <= 0
                ? "earliest advance: now, if nothing below blocks it"
                : "earliest advance: in \(hours >= 48 ? "\(Int((hours / 24).rounded(.up))) days" : "\(Int(hours.rounded(.up))) hours")")
    }
    for blocker in rollout["blockers"]?.arrayValue ?? [] { print("  blocked: \(blocker.cell)") }
    if let next = rollout["nextStage"] { print("next stage: \(next.cell)") }
    guard let arms = rollout["report"]?["arms"]?.arrayValue else { return }
    printTable(
        ["VARIANT", "UNITS", "OUTPUTS"],
        arms.map { [$0["variant"]?.cell ?? "", $0["units"]?.cell ?? "", $0["outputs"]?.cell ?? ""] })
}
