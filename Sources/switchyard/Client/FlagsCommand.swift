import ArgumentParser
import SwitchyardCore

/// `switchyard flags ...`: manage flags on a server.
struct Flags: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage flags on a server.",
        subcommands: [List.self, Get.self, Create.self, Update.self, Enable.self, Disable.self, Kill.self, Unkill.self, Delete.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the flags of an environment.")
        @OptionGroup var options: ServerOptions

        func run() async throws {
            let answer = try await options.client().send(.GET, "/api/v1/flags").json
            if options.json { return printJSON(answer) }
            printTable(
                ["KEY", "STATE", "VERSION", "KILLED", "PERMANENT", "UPDATED"],
                (answer["flags"]?.arrayValue ?? []).map { flag in
                    [
                        flag["key"]?.cell ?? "", flag["definition"]?["state"]?.cell ?? "", flag["version"]?.cell ?? "",
                        flag["kill"] == nil ? "no" : "yes: " + (flag["kill"]?["reason"]?.cell ?? ""),
                        flag["permanent"] == .bool(true) ? "yes" : "no", flag["updatedAt"]?.cell ?? "",
                    ]
                })
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one flag.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String

        func run() async throws {
            let flag = try await options.client().send(.GET, "/api/v1/flags/\(AdminClient.segment(key))").json
            if options.json { return printJSON(flag) }
            printFlag(flag)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a flag from a flagd flag object (JSON file or standard input).")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String
        @Option(help: "The flag object as JSON (standard input when omitted).") var file: String?
        @Option(help: "Why, for the audit log.") var reason: String?

        func run() async throws {
            guard case .object(var definition) = try readJSON(file) else { throw ValidationError("a flag must be a JSON object") }
            definition["key"] = .string(key)
            let answer = try await options.client().send(
                .POST, "/api/v1/flags", query: reason.map { [("reason", $0)] } ?? [], body: Array(JSONValue.object(definition).serialized().utf8)
            ).json
            if options.json { return printJSON(answer) }
            print("created \(key) (version \(answer["flag"]?["version"]?.cell ?? "?"))")
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a flag's definition.",
            discussion: "The update is based on --version, or on the version read just before; a newer version on the server fails with 409.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String
        @Option(help: "The flag object as JSON (standard input when omitted).") var file: String?
        @Option(help: "The version the change is based on.") var version: Int64?
        @Option(help: "Why, for the audit log.") var reason: String?
        @ArgumentParser.Flag(help: "Pause the flag's running rollout first if there is one (a running rollout owns the targeting).")
        var force = false

        func run() async throws {
            let definition = try readJSON(file)
            let client = try options.client()
            let path = "/api/v1/flags/\(AdminClient.segment(key))"
            if force { try await pauseRunningRollout(client) }
            let answer = try await client.send(
                .PUT, path, query: reason.map { [("reason", $0)] } ?? [], body: Array(definition.serialized().utf8),
                headers: try await ifMatch(version, client, path)
            ).json
            if options.json { return printJSON(answer) }
            print("updated \(key) (version \(answer["flag"]?["version"]?.cell ?? "?"))")
        }

        /// Pauses the flag's rollout when it runs, and says so.
        private func pauseRunningRollout(_ client: AdminClient) async throws {
            let rollout = "/api/v1/flags/\(AdminClient.segment(key))/rollout"
            guard try await client.sendAllowingNotFound(.GET, rollout)?["phase"] == "running" else { return }
            try await client.send(.POST, rollout + "/pause")
            printError(
                "--force: paused the running rollout of \(key) so that its targeting can change; resume it with: switchyard rollout resume \(key)")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a flag's state to ENABLED.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String
        @Option(help: "Why, for the audit log.") var reason: String?

        func run() async throws { try await action(options, key, "enable", reason: reason, done: "enabled") }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a flag's state to DISABLED (clients get their code default).")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String
        @Option(help: "Why, for the audit log.") var reason: String?

        func run() async throws { try await action(options, key, "disable", reason: reason, done: "disabled") }
    }

    struct Kill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a flag's safe variant to everyone (safeVariant, else defaultVariant, else the code default).")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String
        @Option(help: "Why (required).") var reason: String

        func run() async throws {
            let body = JSONValue.object(["reason": .string(reason)])
            let answer = try await options.client().send(.POST, "/api/v1/flags/\(AdminClient.segment(key))/kill", body: Array(body.serialized().utf8))
                .json
            if options.json { return printJSON(answer) }
            print("killed \(key) (change \(answer["version"]?.cell ?? "?")); check delivery with: switchyard propagation \(key)")
        }
    }

    struct Unkill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a kill.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String
        @Option(help: "Why, for the audit log.") var reason: String?

        func run() async throws { try await action(options, key, "unkill", reason: reason, done: "unkilled") }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a flag (permanent flags only with --force).",
            discussion: "The deletion is based on --version, or on the version read just before; a newer version on the server fails with 409.")
        @OptionGroup var options: ServerOptions
        @Argument(help: "The flag key.") var key: String
        @ArgumentParser.Flag(help: "Delete even a permanent flag.") var force = false
        @Option(help: "The version the deletion is based on.") var version: Int64?
        @Option(help: "Why, for the audit log.") var reason: String?

        func run() async throws {
            var query: [(String, String)] = force ? [("force", "true")] : []
            if let reason { query.append(("reason", reason)) }
            let client = try options.client()
            let path = "/api/v1/flags/\(AdminClient.segment(key))"
            let answer = try await client.send(.DELETE, path, query: query, headers: try await ifMatch(version, client, path)).json
            if options.json { return printJSON(answer) }
            print("deleted \(key)")
        }
    }
}

/// `If-Match` with `version`, else with the version of the flag at `path` read now.
private func ifMatch(_ version: Int64?, _ client: AdminClient, _ path: String) async throws -> [(String, String)] {
    AdminClient.ifMatch(version, version == nil ? try await client.send(.GET, path).json : nil)
}

private func action(_ options: ServerOptions, _ key: String, _ verb: String, reason: String?, done: String) async throws {
    let answer = try await options.client().send(
        .POST, "/api/v1/flags/\(AdminClient.segment(key))/\(verb)", query: reason.map { [("reason", $0)] } ?? []
    ).json
    if options.json { return printJSON(answer) }
    print("\(done) \(key) (version \(answer["flag"]?["version"]?.cell ?? "?"))")
}

private func printFlag(_ flag: JSONValue) {
    print("key:        \(flag["key"]?.cell ?? "")")
    print("version:    \(flag["version"]?.cell ?? "")")
    print("permanent:  \(flag["permanent"] == .bool(true) ? "yes" : "no")")
    if let kill = flag["kill"] { print("killed:     \(kill["reason"]?.cell ?? "") (by \(kill["by"]?.cell ?? ""), \(kill["at"]?.cell ?? ""))") }
    print("updated:    \(flag["updatedAt"]?.cell ?? "")")
    print(flag["definition"]?.serialized(pretty: true).terminalSafe(keepingNewlines: true) ?? "")
}

/// Reads JSON from a file or standard input.
func readJSON(_ path: String?) throws -> JSONValue {
    var bytes: [UInt8] = []
    if let path {
        bytes = try readFile(path)
    } else {
        bytes = try readStandardInput()
    }
    do {
        return try JSONValue(parsing: bytes)
    } catch {
        throw ValidationError("\(path ?? "standard input"): \(error.description)")
    }
}
