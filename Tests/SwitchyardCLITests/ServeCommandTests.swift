import Foundation
import SwitchyardTestSupport
import Testing

@Suite struct ServeCommandTests {
    @Test func theFirstStartPrintsAnAdminKeyOnceAndNoLogShowsIt() async throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-serve-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }

        let first = try CommandProcess(["serve", "--db", database, "--port", "0"])
        let url = try await Self.listeningURL(first)
        let key = try #require(first.output.firstMatch(of: /sy_admin_[A-Za-z0-9]+/).map { String($0.output) })
        #expect(first.output.contains("Use it with: export SWITCHYARD_KEY=\(key)"))
        let list = try await CommandProcess.run(["flags", "list"], environment: ["SWITCHYARD_URL": url, "SWITCHYARD_KEY": key])
        #expect(list.status == 0)
        first.terminate()
        let stopped = await first.result()
        #expect(stopped.status == 0)
        #expect(!stopped.errors.contains(key))

        let second = try CommandProcess(["serve", "--db", database, "--port", "0"])
        _ = try await Self.listeningURL(second)
        second.terminate()
        let restarted = await second.result()
        #expect(restarted.status == 0)
        #expect(restarted.output.isEmpty)
    }

    /// The URL a starting server listens on, from its log.
    static func listeningURL(_ server: CommandProcess) async throws -> String {
        #expect(await eventually { server.errors.contains("Server started and listening on") })
        let match = try #require(server.errors.firstMatch(of: /listening on (127\.0\.0\.1:\d+)/))
        return "http://\(match.output.1)"
    }
}
