import Foundation
import SwitchyardCore
import SwitchyardTestSupport
import Testing

@Suite struct EnvironmentCommandsTests {
    @Test func anExportImportsBackAsItWas() async throws {
        try await CommandServer.run { _, switchyard in
            let imported = try await switchyard("import", "examples/flags.json", "--reason", "seed")
            #expect(imported.status == 0)
            #expect(imported.output.hasPrefix("imported examples/flags.json into production (change "))
            let export = try await switchyard("export")
            #expect(export.status == 0)
            let document = try JSONValue(parsing: export.output)
            #expect(
                document["flags"]?.objectValue?.keys.sorted()
                    == ["ai-document-summary", "ai-email-drafting", "summary-model-config", "summary-model-version"])
            let segments = try await switchyard("segments", "list").output.split(separator: "\n").map { $0.split(separator: " ").first }
            #expect(segments == ["NAME", "beta-opt-in", "enterprise-tier", "internal-users"])

            let file = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID()).json")
            try Data(export.output.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            #expect(try await switchyard("flags", "delete", "summary-model-config").status == 0)
            #expect(try await switchyard("flags", "kill", "ai-document-summary", "--reason", "drill").status == 0)
            #expect(try await switchyard("import", file.path).status == 0)
            #expect(try JSONValue(parsing: try await switchyard("export").output) == document)

            #expect(try await switchyard("environments", "create", "staging").status == 0)
            #expect(try await switchyard("import", file.path, "--env", "staging").status == 0)
            #expect(try JSONValue(parsing: try await switchyard("export", "--env", "staging").output) == document)
        }
    }

    @Test func anImportThatDropsAPermanentFlagChangesNothing() async throws {
        try await CommandServer.run { _, switchyard in
            try await switchyard("import", "examples/flags.json")
            let before = try await switchyard("export").output
            let refused = try await switchyard("import", "/dev/stdin", input: #"{"flags": {}}"#)
            #expect(refused.status == 1)
            #expect(refused.errors == "error: the document drops permanent flags: ai-email-drafting\n")
            #expect(try await switchyard("export").output == before)
        }
    }
}
