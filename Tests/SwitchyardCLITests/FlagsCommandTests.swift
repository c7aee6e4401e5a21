import SwitchyardCore
import SwitchyardTestSupport
import Testing

@Suite struct FlagsCommandTests {
    static let model: JSONValue = [
        "state": "ENABLED", "variants": ["large": "gpt-large", "small": "gpt-small"], "defaultVariant": "small", "safeVariant": "small",
    ]

    @Test func aFlagIsCreatedListedAndRead() async throws {
        try await CommandServer.run { _, switchyard in
            let created = try await switchyard("flags", "create", "model", "--reason", "launch", input: Self.model.serialized())
            #expect(created.status == 0)
            #expect(created.output == "created model (version 1)\n")

            let list = try await switchyard("flags", "list")
            #expect(list.output.split(separator: "\n").last?.split(separator: " ").prefix(5) == ["model", "ENABLED", "1", "no", "no"])
            let flag = try JSONValue(parsing: try await switchyard("flags", "get", "model", "--json").output)
            #expect(flag["version"] == 1)
            #expect(flag["definition"] == Self.model)

            let missing = try await switchyard("flags", "get", "nope")
            #expect(missing.status == 1)
            #expect(missing.errors == "error: flag nope not found\n")
        }
    }

    @Test func anUpdateIsValidatedAndBasedOnAVersion() async throws {
        try await CommandServer.run { _, switchyard in
            try await switchyard("flags", "create", "model", input: Self.model.serialized())
            let invalid = try await switchyard("flags", "update", "model", input: #"{"state": "ENABLED", "variants": {"a": 1}, "colour": 1}"#)
            #expect(invalid.status == 1)
            #expect(invalid.errors.contains("flags.model.colour"))

            let stale = try await switchyard("flags", "update", "model", "--version", "7", input: Self.model.serialized())
            #expect(stale.status == 1)
            #expect(stale.errors == "error: version 7 is stale; the current version is 1\n")

            let updated = try await switchyard("flags", "update", "model", "--version", "1", input: Self.model.serialized())
            #expect(updated.status == 0)
            #expect(updated.output == "updated model (version 2)\n")
        }
    }

    @Test func aKillLastsUntilUnkilledAndIsAudited() async throws {
        try await CommandServer.run { _, switchyard in
            try await switchyard("flags", "create", "model", input: Self.model.serialized())
            let unexplained = try await switchyard("flags", "kill", "model")
            #expect(unexplained.status == 64)
            #expect(unexplained.errors.contains("Missing expected argument '--reason <reason>'"))

            let killed = try await switchyard("flags", "kill", "model", "--reason", "cost spike")
            #expect(killed.status == 0)
            #expect(killed.output.hasPrefix("killed model (change "))
            #expect(killed.output.hasSuffix("); check delivery with: switchyard propagation model\n"))
            #expect(try await switchyard("flags", "list").output.contains("yes: cost spike"))
            #expect(try await switchyard("flags", "get", "model").output.contains("killed:     cost spike"))
            #expect(try await switchyard("propagation", "model").output.contains("clients:    0 of 0 delivered, 0 applied, 0 behind"))

            let unkilled = try await switchyard("flags", "unkill", "model", "--reason", "prices fixed")
            #expect(unkilled.status == 0)
            #expect(unkilled.output == "unkilled model (version 3)\n")
            #expect(try await switchyard("flags", "get", "model", "--json").output.contains("\"kill\"") == false)
            let again = try await switchyard("flags", "unkill", "model")
            #expect(again.status == 1)
            #expect(again.errors == "error: flag model is not killed\n")

            let audit = try await switchyard("audit", "model").output.split(separator: "\n")
            #expect(audit.contains { $0.contains("flag.kill") && $0.contains("cost spike") })
            #expect(audit.contains { $0.contains("flag.unkill") && $0.contains("prices fixed") })
        }
    }

    @Test func aFlagIsDisabledThenDeleted() async throws {
        try await CommandServer.run { _, switchyard in
            try await switchyard("flags", "create", "model", input: Self.model.serialized())
            let disabled = try await switchyard("flags", "disable", "model")
            #expect(disabled.output == "disabled model (version 2)\n")
            #expect(try JSONValue(parsing: try await switchyard("flags", "get", "model", "--json").output)["definition"]?["state"] == "DISABLED")

            let stale = try await switchyard("flags", "delete", "model", "--version", "1")
            #expect(stale.status == 1)
            #expect(stale.errors == "error: version 1 is stale; the current version is 2\n")
            #expect(try await switchyard("flags", "get", "model").status == 0)

            let deleted = try await switchyard("flags", "delete", "model")
            #expect(deleted.status == 0)
            #expect(deleted.output == "deleted model\n")
            #expect(try await switchyard("flags", "get", "model").status == 1)
        }
    }

    @Test func propagationOfAChangeOlderThanTheFeedSaysSo() async throws {
        try await CommandServer.run { server, switchyard in
            try await switchyard("flags", "create", "model", input: Self.model.serialized())
            try await switchyard("flags", "kill", "model", "--reason", "cost spike")
            try await switchyard("flags", "create", "other", input: Self.model.serialized())
            let kill = try #require(try await server.store.latestAuditedChange(of: "model", in: "production")?.version)
            #expect(try await server.store.pruneChanges(keepingNewest: 1, before: .distantFuture) == 2)

            let propagation = try await switchyard("propagation", "model")
            #expect(propagation.status == 0)
            let lines = propagation.output.split(separator: "\n")
            #expect(lines.first?.hasPrefix("change:     \(kill) at ") == true)
            #expect(lines.first?.hasSuffix(" (flag.kill), older than the retained change feed (pruned through \(kill))") == true)
            #expect(lines.dropFirst().first == "clients:    0 of 0 delivered, 0 applied, 0 behind")
            #expect(lines.dropFirst(2).first == "latency:    not known for a change older than the change feed")
        }
    }
}

@Suite struct TerminalEscapingTests {
    @Test func controlAndBidiCharactersFromTheServerArePrintedEscaped() async throws {
        try await CommandServer.run { _, switchyard in
            try await switchyard("flags", "create", "model", input: FlagsCommandTests.model.serialized())
            let forged = "cost\u{1B}[2J spike\u{202E}txt.exe\u{200B}\r\nKEY  FORGED"
            try await switchyard("flags", "kill", "model", "--reason", forged)
            for output in [try await switchyard("flags", "list").output, try await switchyard("flags", "get", "model").output] {
                #expect(!output.contains("\u{1B}"))
                #expect(!output.contains("\u{202E}"))
                #expect(!output.contains("\u{200B}"))
                #expect(!output.contains("\r"))
                #expect(output.contains(#"cost\u001B[2J spike\u202Etxt.exe\u200B\u000D\u000AKEY  FORGED"#))
            }
            let json = try await switchyard("flags", "get", "model", "--json").output
            #expect(!json.contains("\u{202E}"))
            #expect(try JSONValue(parsing: json)["kill"]?["reason"] == .string(forged))
        }
    }
}
