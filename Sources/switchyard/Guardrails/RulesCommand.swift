import ArgumentParser
import SwitchyardCore

/// `switchyard rules get|set|delete|reset FLAG`: the kill rules attached to a flag.
struct Rules: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the kill rules attached to a flag.",
        subcommands: [Get.self, Set.self, Delete.self, Reset.self]
    )

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a flag's rules and their trips.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String

        func run() async throws {
            try await show(options.client().send(.GET, path(key)).json, options)
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a flag's rules, e.g. 'errorRate > 0.05 over 15m minSamples 50'.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String
        @Argument(help: "The rules, one per argument.") var rules: [String]

        func run() async throws {
            let body = JSONValue.array(rules.map(JSONValue.string)).serialized()
            try await show(options.client().send(.PUT, path(key), body: Array(body.utf8)).json, options)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove every rule of a flag.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String

        func run() async throws {
            try await show(options.client().send(.DELETE, path(key)).json, options)
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Re-arm tripped rules (the kill stays until `flags unkill`).")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String

        func run() async throws {
            try await show(options.client().send(.POST, path(key) + "/reset").json, options)
        }
    }
}

private func path(_ key: String) -> String { "/api/v1/flags/\(AdminClient.segment(key))/rules" }

private func show(_ answer: JSONValue, _ options: ServerOptions) {
    if options.json { return printJSON(answer) }
    printTable(
        ["RULE", "STATE"],
        (answer["rules"]?.arrayValue ?? []).map { rule in
            [rule["text"]?.cell ?? rule["rule"]?.serialized() ?? "", rule["trip"].map { "tripped: " + ($0["variant"]?.cell ?? "") } ?? "armed"]
        })
}
