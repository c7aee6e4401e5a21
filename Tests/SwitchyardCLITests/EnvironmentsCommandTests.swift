import SwitchyardCore
import SwitchyardTestSupport
import Testing

@Suite struct EnvironmentsCommandTests {
    @Test func environmentsAreListedAndCreated() async throws {
        try await CommandServer.run { _, switchyard in
            let before = try await switchyard("environments", "list")
            #expect(before.status == 0)
            #expect(before.output.split(separator: "\n").map { $0.split(separator: " ").first } == ["NAME", "production"])

            let created = try await switchyard("environments", "create", "staging")
            #expect(created.status == 0)
            #expect(created.output == "created environment staging; fill it with: switchyard import FILE --env staging\n")

            let after = try await switchyard("envs", "list", "--json")
            #expect(after.status == 0)
            let names = try JSONValue(parsing: after.output)["environments"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
            #expect(names == ["production", "staging"])
        }
    }

    @Test func anExistingEnvironmentIsRefused() async throws {
        try await CommandServer.run { _, switchyard in
            let again = try await switchyard("envs", "create", "production")
            #expect(again.status == 1)
            #expect(again.errors == "error: environment production already exists\n")
        }
    }

    @Test func environmentCommandsTakeNoEnvironment() async throws {
        let listed = try await CommandProcess.run(["environments", "list", "--env", "staging"])
        #expect(listed.status == 64)
        #expect(listed.errors.contains("Unknown option '--env'"))
    }
}
