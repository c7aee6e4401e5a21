import Foundation
import SwitchyardCore
import SwitchyardTestSupport
import Testing

@Suite struct SegmentsCommandTests {
    static let pros: JSONValue = ["==": [["var": "plan"], "pro"]]
    static let paying: JSONValue = ["in": [["var": "plan"], ["pro", "team"]]]

    @Test func aCreatedSegmentCanBeReadAndIsListed() async throws {
        try await CommandServer.run { _, switchyard in
            let created = try await switchyard("segments", "create", "pros", "--reason", "launch", input: Self.pros.serialized())
            #expect(created.status == 0)
            #expect(created.output.hasPrefix("created segment pros in production (version 1, change "))

            let got = try await switchyard("segments", "get", "pros")
            #expect(got.status == 0)
            #expect(try JSONValue(parsing: got.output) == Self.pros)
            let gotJSON = try await switchyard("segments", "get", "pros", "--json")
            #expect(try JSONValue(parsing: gotJSON.output) == ["name": "pros", "version": 1, "rule": Self.pros])

            let list = try await switchyard("segments", "list")
            #expect(list.status == 0)
            #expect(list.output == "NAME  VERSION  RULE\npros  1        \(Self.pros.serialized())\n")
            let listJSON = try await switchyard("segments", "list", "--json")
            #expect(try JSONValue(parsing: listJSON.output)["segments"] == [["name": "pros", "version": 1, "rule": Self.pros]])

            let audit = try await switchyard("audit")
            #expect(audit.output.split(separator: "\n").contains { $0.contains("segment.create") && $0.contains("launch") })
        }
    }

    @Test func updateReplacesTheRuleFromAFile() async throws {
        try await CommandServer.run { _, switchyard in
            try await switchyard("segments", "create", "pros", input: Self.pros.serialized())
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("segment-\(UUID()).json")
            try Data(Self.paying.serialized(pretty: true).utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }

            let updated = try await switchyard("segments", "update", "pros", "--file", file.path)
            #expect(updated.status == 0)
            #expect(updated.output.hasPrefix("updated segment pros in production (version 2, change "))
            #expect(try JSONValue(parsing: try await switchyard("segments", "get", "pros").output) == Self.paying)
        }
    }

    @Test func createRefusesAnExistingSegmentAndUpdateAndGetAMissingOne() async throws {
        try await CommandServer.run { _, switchyard in
            try await switchyard("segments", "create", "pros", input: Self.pros.serialized())
            let again = try await switchyard("segments", "create", "pros", input: Self.paying.serialized())
            #expect(again.status == 1)
            #expect(again.errors == "error: segment pros already exists in production; change it with: switchyard segments update pros\n")
            #expect(try JSONValue(parsing: try await switchyard("segments", "get", "pros").output) == Self.pros)

            let update = try await switchyard("segments", "update", "nope", input: Self.pros.serialized())
            #expect(update.status == 1)
            #expect(update.errors == "error: segment nope not found in production; create it with: switchyard segments create nope\n")
            let get = try await switchyard("segments", "get", "nope")
            #expect(get.status == 1)
            #expect(get.output.isEmpty)
            #expect(get.errors == "error: segment nope not found in production\n")
            #expect(try await switchyard("segments", "list").output == "NAME  VERSION  RULE\npros  1        \(Self.pros.serialized())\n")
        }
    }

    @Test func anInvalidRuleIsRefusedWithItsPlaceOnce() async throws {
        try await CommandServer.run { _, switchyard in
            let empty = try await switchyard("segments", "create", "pros", input: "{}")
            #expect(empty.status == 1)
            #expect(empty.errors == "error: $evaluators.pros: a segment must be a non-empty JsonLogic object\n")

            let garbage = try await switchyard("segments", "create", "pros", input: "{\"==\": ")
            #expect(garbage.status == 64)
            #expect(garbage.errors.contains("standard input: invalid JSON"))
            #expect(try await switchyard("segments", "list").output == "NAME  VERSION  RULE\n")
        }
    }

    @Test func aSegmentAFlagUsesCanNeitherBreakItNorBeDeleted() async throws {
        try await CommandServer.run { _, switchyard in
            try await switchyard("segments", "create", "pros", input: Self.pros.serialized())
            let flag: JSONValue = [
                "state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off",
                "targeting": ["if": [["$ref": "pros"], "on", "off"]],
            ]
            #expect(try await switchyard("flags", "create", "summary", input: flag.serialized()).status == 0)

            let refused = try await switchyard("segments", "delete", "pros")
            #expect(refused.status == 1)
            #expect(refused.errors == "error: segment pros is used by summary\n")
            #expect(try await switchyard("segments", "get", "pros").status == 0)

            let breaking = try await switchyard("segments", "update", "pros", input: #"{"fractionl": [1]}"#)
            #expect(breaking.status == 1)
            #expect(breaking.errors.hasPrefix("error: $evaluators.pros"))
            #expect(breaking.errors.contains(#"unknown operator "fractionl""#))
            #expect(try JSONValue(parsing: try await switchyard("segments", "get", "pros").output) == Self.pros)

            #expect(try await switchyard("flags", "delete", "summary").status == 0)
            let deleted = try await switchyard("segments", "delete", "pros", "--reason", "unused")
            #expect(deleted.status == 0)
            #expect(deleted.output.hasPrefix("deleted segment pros from production (change "))
            #expect(try await switchyard("segments", "list").output == "NAME  VERSION  RULE\n")
            let missing = try await switchyard("segments", "delete", "pros")
            #expect(missing.status == 1)
            #expect(missing.errors == "error: segment pros not found in production\n")
        }
    }

    @Test func aStaleUpdateOrDeleteExitsNonZeroAndChangesNothing() async throws {
        try await CommandServer.run { _, switchyard in
            try await switchyard("segments", "create", "pros", input: Self.pros.serialized())
            #expect(try await switchyard("segments", "update", "pros", "--version", "1", input: Self.paying.serialized()).status == 0)

            let staleUpdate = try await switchyard("segments", "update", "pros", "--version", "1", input: Self.pros.serialized())
            #expect(staleUpdate.status == 1)
            #expect(staleUpdate.output.isEmpty)
            #expect(staleUpdate.errors == "error: version 1 is stale; the current version is 2\n")
            let staleDelete = try await switchyard("segments", "delete", "pros", "--version", "1")
            #expect(staleDelete.status == 1)
            #expect(staleDelete.errors == "error: version 1 is stale; the current version is 2\n")
            let unchanged = try await switchyard("segments", "get", "pros", "--json")
            #expect(try JSONValue(parsing: unchanged.output) == ["name": "pros", "version": 2, "rule": Self.paying])

            // Without --version, the version read just before.
            let current = try await switchyard("segments", "update", "pros", input: Self.pros.serialized())
            #expect(current.output.hasPrefix("updated segment pros in production (version 3, change "))
            let deleted = try await switchyard("segments", "delete", "pros", "--version", "3")
            #expect(deleted.status == 0)
            #expect(try await switchyard("segments", "list").output == "NAME  VERSION  RULE\n")
        }
    }

    @Test func segmentsBelongToTheirEnvironment() async throws {
        try await CommandServer.run { _, switchyard in
            #expect(try await switchyard("environments", "create", "staging").status == 0)
            #expect(try await switchyard("segments", "create", "pros", "--env", "staging", input: Self.pros.serialized()).status == 0)
            #expect(try await switchyard("segments", "get", "pros", "--env", "staging").status == 0)
            #expect(try await switchyard("segments", "get", "pros").status == 1)

            let nowhere = try await switchyard("segments", "list", "--env", "nowhere")
            #expect(nowhere.status == 1)
            #expect(nowhere.errors == "error: environment nowhere not found\n")
        }
    }
}
