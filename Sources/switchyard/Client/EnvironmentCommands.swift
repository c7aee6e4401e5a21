import ArgumentParser
import Foundation
import SwitchyardCore

/// `switchyard import FILE`: replace an environment's flags with a flagd document.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Replace an environment's flags with a flagd document.")
    @OptionGroup var options: ServerOptions
    @Argument(help: "The flagd JSON file.") var file: String
    @Option(help: "Why, for the audit log.") var reason: String?

    func run() async throws {
        let answer = try await options.client().send(
            .POST, "/api/v1/import", query: reason.map { [("reason", $0)] } ?? [], body: try readFile(file)
        ).json
        if options.json { return printJSON(answer) }
        print("imported \(file) into \(options.environment) (change \(answer["version"]?.cell ?? "?"))")
    }
}

/// `switchyard export`: an environment as a flagd document.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print an environment as a flagd document.")
    @OptionGroup var options: ServerOptions

    func run() async throws {
        printJSON(try await options.client().send(.GET, "/api/v1/export").json)
    }
}

/// `switchyard audit [FLAG]`: who changed what, when and why.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the audit log, newest first.")
    @OptionGroup var options: ServerOptions
    @Argument(help: "Only this flag's entries.") var flag: String?
    @Option(help: "The most entries shown.") var limit = 50

    func run() async throws {
        var query = [("limit", String(limit))]
        if let flag { query.append(("flag", flag)) }
        let answer = try await options.client().send(.GET, "/api/v1/audit", query: query).json
        if options.json { return printJSON(answer) }
        printTable(
            ["ID", "AT", "ACTION", "FLAG", "AUTHOR", "REASON"],
            (answer["entries"]?.arrayValue ?? []).map { entry in
                [
                    entry["id"]?.cell ?? "", entry["at"]?.cell ?? "", entry["action"]?.cell ?? "", entry["flag"]?.cell ?? "-",
                    entry["author"]?["name"]?.cell ?? "", entry["reason"]?.cell ?? "-",
                ]
            })
    }
}

/// `switchyard propagation FLAG`: how far the flag's latest change has reached.
struct Propagation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show how many connected clients applied a flag's latest change, and how fast.")
    @OptionGroup var options: ServerOptions
    @Argument(help: "The flag key.") var flag: String

    func run() async throws {
        let answer = try await options.client().send(.GET, "/api/v1/flags/\(AdminClient.segment(flag))/propagation").json
        if options.json { return printJSON(answer) }
        func milliseconds(_ name: String) -> String {
            guard let value = answer[name]?.numberValue else { return "-" }
            return String(format: "%.1f ms", value)
        }
        let change = "\(answer["version"]?.cell ?? "") at \(answer["changedAt"]?.cell ?? "")"
        let retained = answer["retained"] != .bool(false)
        print(
            "change:     "
                + (retained
                    ? change
                    : "\(change) (\(answer["action"]?.cell ?? "")), older than the retained change feed (pruned through \(answer["prunedThrough"]?.cell ?? "?"))")
        )
        print(
            "clients:    \(answer["delivered"]?.cell ?? "0") of \(answer["connectedClients"]?.cell ?? "0") delivered, "
                + "\(answer["applied"]?.cell ?? "0") applied, \(answer["behind"]?.cell ?? "0") behind")
        if let silent = answer["clientsWithoutReceipts"]?.numberValue, silent > 0 {
            print("            \(Int(silent)) of them post no receipts (OFREP streams, flagd providers): delivery is all that is known")
        }
        if retained {
            for stage in ["delivered", "applied"] {
                let slowest = answer[stage + "SlowestClient"].map { " (\($0.cell))" } ?? ""
                print(
                    "\(stage):\(String(repeating: " ", count: 11 - stage.count - 1)) p50 \(milliseconds(stage + "P50Ms")), "
                        + "p99 \(milliseconds(stage + "P99Ms")), slowest \(milliseconds(stage + "SlowestMs"))\(slowest)")
            }
        } else {
            print("latency:    not known for a change older than the change feed")
        }
        let behind = answer["behindClients"]?.arrayValue ?? []
        if !behind.isEmpty { print("behind:     " + behind.map(\.cell).joined(separator: ", ")) }
    }
}
