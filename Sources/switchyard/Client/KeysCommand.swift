import ArgumentParser
import SwitchyardCore

/// `switchyard keys ...`: API keys.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage API keys.", subcommands: [Create.self, List.self, Revoke.self])

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case sdk
        case admin
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it (the only time it is shown).")
        @OptionGroup var options: ServerOptions
        @Option(help: "sdk (evaluate and sync one environment) or admin.") var kind: Kind
        @Option(help: "A name to recognise the key by.") var name: String?

        func run() async throws {
            var body: [String: JSONValue] = ["kind": .string(kind.rawValue)]
            if kind == .sdk { body["environment"] = .string(options.environment) }
            if let name { body["name"] = .string(name) }
            let answer = try await options.client().send(.POST, "/api/v1/keys", body: Array(JSONValue.object(body).serialized().utf8)).json
            if options.json { return printJSON(answer) }
            print(answer["key"]?.cell ?? "")
            printError("created \(answer["kind"]?.cell ?? "") key \(answer["id"]?.cell ?? ""); it is not shown again")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")
        @OptionGroup var options: ServerOptions

        func run() async throws {
            let answer = try await options.client().send(.GET, "/api/v1/keys").json
            if options.json { return printJSON(answer) }
            printTable(
                ["ID", "KIND", "ENV", "NAME", "CREATED", "REVOKED"],
                (answer["keys"]?.arrayValue ?? []).map { key in
                    ["id", "kind", "environment", "name", "createdAt", "revokedAt"].map { key[$0]?.cell ?? "-" }
                })
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by id.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The key id (key_...).") var id: String

        func run() async throws {
            let answer = try await options.client().send(.DELETE, "/api/v1/keys/\(AdminClient.segment(id))").json
            if options.json { return printJSON(answer) }
            print("revoked \(id)")
        }
    }
}
