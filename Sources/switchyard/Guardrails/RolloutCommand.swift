import ArgumentParser
import SwitchyardCore

/// `switchyard rollout start|status|pause|resume|abort FLAG`.
struct Rollout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a staged rollout that advances only while the treatment is healthy.",
        subcommands: [Start.self, Status.self, Pause.self, Resume.self, Abort.self]
    )

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a rollout plan (JSON file), or the default 1 → 5 → 20 → 50 → 100 % plan over three weeks.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String
        @Option(help: "A plan as JSON (see docs/guardrails.md); the default plan when omitted.") var plan: String?
        @Option(help: "The control variant of the default plan (default: the flag's safe variant).") var control: String?
        @Option(help: "The treatment variant of the default plan (default: the only other variant).") var treatment: String?

        func run() async throws {
            let body = try plan.map { Array(try readJSON($0).serialized().utf8) }
            let query = [("control", control), ("treatment", treatment)].compactMap { name, value in value.map { (name, $0) } }
            let answer = try await options.client().send(.POST, "/api/v1/flags/\(AdminClient.segment(key))/rollout", query: query, body: body).json
            if options.json { return printJSON(answer) }
            printRollout(answer)
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
    line += " (\(rollout["treatmentPercent"]?.cell ?? "?")% treatment)"
    if state?["holding"] == .bool(true) { line += ", holding" }
    print(line)
    guard let arms = rollout["report"]?["arms"]?.arrayValue else { return }
    printTable(
        ["VARIANT", "UNITS", "OUTPUTS"],
        arms.map { [$0["variant"]?.cell ?? "", $0["units"]?.cell ?? "", $0["outputs"]?.cell ?? ""] })
}
