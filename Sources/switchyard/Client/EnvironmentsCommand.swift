import ArgumentParser
import SwitchyardCore

/// `switchyard environments list|create` (alias `envs`): the server's environments.
struct Environments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage environments: each has its own flags, segments and SDK keys.",
        subcommands: [List.self, Create.self],
        aliases: ["envs"]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the environments.")
        @OptionGroup var options: ConnectionOptions

        func run() async throws {
            let answer = try await options.client(environment: nil).send(.GET, "/api/v1/environments").json
            if options.json { return printJSON(answer) }
            printTable(
                ["NAME", "CREATED"],
                (answer["environments"]?.arrayValue ?? []).map { [$0["name"]?.cell ?? "", $0["createdAt"]?.cell ?? ""] })
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an empty environment.")
        @OptionGroup var options: ConnectionOptions
        @Argument(help: "The environment name.") var name: String

        func run() async throws {
            let body = JSONValue.object(["name": .string(name)])
            let answer = try await options.client(environment: nil)
                .send(.POST, "/api/v1/environments", body: Array(body.serialized().utf8)).json
            if options.json { return printJSON(answer) }
            print("created environment \(name); fill it with: switchyard import FILE --env \(name)")
        }
    }
}
