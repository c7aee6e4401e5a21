import ArgumentParser
import Foundation
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
    let watched = (answer["watchedVariants"]?.arrayValue ?? []).map(\.cell).joined(separator: ", ")
    print("watching \(watched.isEmpty ? "no variant" : watched) against control \(answer["control"]?.cell ?? "-")")
    if let last = answer["lastOutputAt"]?.numberValue {
        print("last output event: \(Date(timeIntervalSince1970: last / 1000).formatted(.iso8601))")
    } else {
        print("last output event: none yet (a rule that sees no outputs never trips)")
    }
    func number(_ value: JSONValue?) -> String { value?.numberValue.map { String(format: "%.4g", $0) } ?? "-" }
    var rows: [[String]] = []
    for rule in answer["rules"]?.arrayValue ?? [] {
        let text = rule["text"]?.cell ?? rule["rule"]?.serialized() ?? ""
        let state = rule["trip"].map { "tripped: " + ($0["variant"]?.cell ?? "") } ?? "armed"
        let current = (rule["current"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
        if current.isEmpty { rows.append([text, state, "", "", "", "", ""]) }
        for (variant, measurement) in current {
            rows.append([
                text, state, variant, number(measurement["observed"]), number(measurement["bound"]), number(measurement["limit"]),
                "\(measurement["samples"]?.cell ?? "0")/\(rule["minSamples"]?.cell ?? "?")",
            ])
        }
    }
    printTable(["RULE", "STATE", "VARIANT", "VALUE", "BOUND", "TRIPS PAST", "SAMPLES"], rows)
}
