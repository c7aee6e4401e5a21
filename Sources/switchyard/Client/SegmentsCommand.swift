import ArgumentParser
import SwitchyardCore

/// `switchyard segments ...`: shared rules (`$evaluators`) that flags use with `{"$ref": NAME}`.
struct Segments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage segments: shared JsonLogic rules that flags use with {\"$ref\": NAME}.",
        discussion: "Segments have no version: the last write wins.",
        subcommands: [List.self, Get.self, Create.self, Update.self, Delete.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the segments of an environment.")
        @OptionGroup var options: ServerOptions

        func run() async throws {
            let answer = try await options.client().send(.GET, "/api/v1/segments").json
            if options.json { return printJSON(answer) }
            let segments = answer["segments"]?.objectValue ?? [:]
            printTable(["NAME", "RULE"], segments.keys.sorted().map { [$0, segments[$0]?.serialized() ?? ""] })
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a segment's rule (as `create` and `update` take it; with --json, its name too).")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The segment name.") var name: String

        func run() async throws {
            guard let rule = try await options.client().send(.GET, "/api/v1/segments").json["segments"]?[name] else {
                throw AdminClient.refuse("segment \(name) not found in \(options.environment)")
            }
            printJSON(options.json ? .object(["name": .string(name), "rule": rule]) : rule)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a segment from a JsonLogic rule (JSON file or standard input); fails if it exists.")
        @OptionGroup var write: Write

        func run() async throws {
            try await write.put(ifExists: false, done: "created") { name, environment in
                "segment \(name) already exists in \(environment); change it with: switchyard segments update \(name)"
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a segment's rule (JSON file or standard input); fails if it does not exist.",
            discussion: "Every flag that uses the segment is checked against the new rule; if one would be invalid, nothing changes.")
        @OptionGroup var write: Write

        func run() async throws {
            try await write.put(ifExists: true, done: "updated") { name, environment in
                "segment \(name) not found in \(environment); create it with: switchyard segments create \(name)"
            }
        }
    }

    /// What `create` and `update` take.
    struct Write: ParsableArguments {
        @OptionGroup var options: ServerOptions
        @Argument(help: "The segment name.") var name: String
        @Option(help: "The rule as JSON (standard input when omitted).") var file: String?
        @Option(help: "Why, for the audit log.") var reason: String?

        /// Stores the rule when the segment's existence is `ifExists`, else refuses with `refusal(name, environment)`.
        func put(ifExists: Bool, done: String, refusal: (String, String) -> String) async throws {
            let rule = try readJSON(file)
            let client = try options.client()
            let current = try await client.send(.GET, "/api/v1/segments").json["segments"]?[name]
            guard (current != nil) == ifExists else { throw AdminClient.refuse(refusal(name, options.environment)) }
            let answer = try await client.send(
                .PUT, Segments.path(name), query: reason.map { [("reason", $0)] } ?? [], body: Array(rule.serialized().utf8)
            ).json
            if options.json { return printJSON(answer) }
            print("\(done) segment \(name) in \(options.environment) (change \(answer["version"]?.cell ?? "?"))")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a segment no flag uses.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The segment name.") var name: String
        @Option(help: "Why, for the audit log.") var reason: String?

        func run() async throws {
            let answer = try await options.client().send(
                .DELETE, Segments.path(name), query: reason.map { [("reason", $0)] } ?? []
            ).json
            if options.json { return printJSON(answer) }
            print("deleted segment \(name) from \(options.environment) (change \(answer["version"]?.cell ?? "?"))")
        }
    }

    /// The admin API path of a segment.
    static func path(_ name: String) -> String { "/api/v1/segments/\(AdminClient.segment(name))" }
}
