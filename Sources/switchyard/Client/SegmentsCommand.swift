import ArgumentParser
import SwitchyardCore

/// `switchyard segments ...`: shared rules (`$evaluators`) that flags use with `{"$ref": NAME}`.
struct Segments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage segments: shared JsonLogic rules that flags use with {\"$ref\": NAME}.",
        discussion: """
            Every segment has a version, like a flag: update and delete are based on --version, or on the \
            version read just before, and fail with 409 when the segment changed since.
            """,
        subcommands: [List.self, Get.self, Create.self, Update.self, Delete.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the segments of an environment.")
        @OptionGroup var options: ServerOptions

        func run() async throws {
            let answer = try await options.client().send(.GET, "/api/v1/segments").json
            if options.json { return printJSON(answer) }
            printTable(
                ["NAME", "VERSION", "RULE"],
                (answer["segments"]?.arrayValue ?? []).map { [$0["name"]?.cell ?? "", $0["version"]?.cell ?? "", $0["rule"]?.serialized() ?? ""] })
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a segment's rule (as `create` and `update` take it; with --json, its name and version too).")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The segment name.") var name: String

        func run() async throws {
            let segment = try await Segments.existing(name, options, options.client())
            printJSON(options.json ? segment : segment["rule"] ?? .null)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a segment from a JsonLogic rule (JSON file or standard input); fails if it exists.")
        @OptionGroup var write: Write

        func run() async throws {
            try await write.put(ifExists: false, version: nil, done: "created") { name, environment in
                "segment \(name) already exists in \(environment); change it with: switchyard segments update \(name)"
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a segment's rule (JSON file or standard input); fails if it does not exist.",
            discussion: """
                The update is based on --version, or on the version read just before; a newer version on the server fails with 409. \
                Every flag that uses the segment is checked against the new rule; if one would be invalid, nothing changes.
                """)
        @OptionGroup var write: Write
        @Option(help: "The version the change is based on.") var version: Int64?

        func run() async throws {
            try await write.put(ifExists: true, version: version, done: "updated") { name, environment in
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
        /// An existing segment is replaced based on `version`, else on the version just read.
        func put(ifExists: Bool, version: Int64?, done: String, refusal: (String, String) -> String) async throws {
            let rule = try readJSON(file)
            let client = try options.client()
            let current = try await Segments.find(name, client)
            guard (current != nil) == ifExists else { throw AdminClient.refuse(refusal(name, options.environment)) }
            let answer = try await client.send(
                .PUT, Segments.path(name), query: reason.map { [("reason", $0)] } ?? [], body: Array(rule.serialized().utf8),
                headers: AdminClient.ifMatch(version, current)
            ).json
            if options.json { return printJSON(answer) }
            print(
                "\(done) segment \(name) in \(options.environment) (version \(answer["segment"]?["version"]?.cell ?? "?"), change \(answer["version"]?.cell ?? "?"))"
            )
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a segment no flag uses.",
            discussion: "The deletion is based on --version, or on the version read just before; a newer version on the server fails with 409.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The segment name.") var name: String
        @Option(help: "The version the deletion is based on.") var version: Int64?
        @Option(help: "Why, for the audit log.") var reason: String?

        func run() async throws {
            let client = try options.client()
            let current = try await Segments.existing(name, options, client)
            let answer = try await client.send(
                .DELETE, Segments.path(name), query: reason.map { [("reason", $0)] } ?? [], headers: AdminClient.ifMatch(version, current)
            ).json
            if options.json { return printJSON(answer) }
            print("deleted segment \(name) from \(options.environment) (change \(answer["version"]?.cell ?? "?"))")
        }
    }

    /// A segment as the server lists it (`{"name", "version", "rule"}`), or `nil` when there is none.
    static func find(_ name: String, _ client: AdminClient) async throws -> JSONValue? {
        try await client.send(.GET, "/api/v1/segments").json["segments"]?.arrayValue?.first { $0["name"] == .string(name) }
    }

    /// A segment as the server lists it; refuses when there is none.
    static func existing(_ name: String, _ options: ServerOptions, _ client: AdminClient) async throws -> JSONValue {
        guard let segment = try await find(name, client) else {
            throw AdminClient.refuse("segment \(name) not found in \(options.environment)")
        }
        return segment
    }

    /// The admin API path of a segment.
    static func path(_ name: String) -> String { "/api/v1/segments/\(AdminClient.segment(name))" }
}
