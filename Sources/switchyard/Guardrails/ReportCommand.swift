import ArgumentParser
import SwitchyardCore

/// `switchyard report FLAG`: control versus each treatment, with verdicts, SRM health and sparklines.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare a flag's variants: units, guardrail metrics, always-valid intervals, verdicts, SRM health and sparklines."
    )

    @OptionGroup var options: ServerOptions
    @Argument(help: "The flag key.") var key: String
    @Option(help: "The control variant (default: the rollout's control, else the flag's safe variant).") var control: String?

    func run() async throws {
        var query = control.map { [("control", $0)] } ?? []
        if !options.json { query.append(("format", "table")) }
        let answer = try await options.client().send(.GET, "/api/v1/flags/\(AdminClient.segment(key))/report", query: query).json
        if options.json { return printJSON(answer) }
        print(answer.stringValue ?? answer.serialized(), terminator: "")
    }
}
