import Foundation
import SwitchyardCore
import SwitchyardTestSupport
import Testing

@testable import switchyard

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

    @Test func aPortInUseIsReportedBeforeAnythingIsCreated() async throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-serve-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
        let first = try CommandProcess(["serve", "--db", database, "--port", "0"])
        let url = try await Self.listeningURL(first)
        let port = try #require(url.split(separator: ":").last.map(String.init))
        let other = database + "-second.sqlite"
        let second = try await CommandProcess.run(["serve", "--db", other, "--port", port])
        first.terminate()
        _ = await first.result()
        #expect(second.status == 1)
        #expect(second.errors.contains("cannot listen on 127.0.0.1:\(port)"))
        #expect(second.output.isEmpty, "no admin key printed")
        #expect(!FileManager.default.fileExists(atPath: other), "no database created")
    }

    @Test func aDemoSeedsTheExampleFlagsAndPrintsAnSDKKeyThatEvaluates() async throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-demo-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
        let demo = try CommandProcess(["serve", "--demo", "--db", database, "--port", "0"])
        let url = try await Self.listeningURL(demo)
        defer { demo.terminate() }
        let admin = try #require(demo.output.firstMatch(of: /sy_admin_[A-Za-z0-9]+/).map { String($0.output) })
        #expect(demo.output.contains("SDK key for production"))
        #expect(demo.output.contains("Try next:"))
        let flags = try await CommandProcess.run(["flags", "list"], environment: ["SWITCHYARD_URL": url, "SWITCHYARD_KEY": admin])
        #expect(flags.output.contains("ai-document-summary"))
        let dryRun = try await CommandProcess.run(
            ["rollout", "start", "ai-document-summary", "--dry-run"], environment: ["SWITCHYARD_URL": url, "SWITCHYARD_KEY": admin])
        #expect(dryRun.status == 0)
        #expect(dryRun.output.contains("Dry run: nothing was started"))
        #expect(dryRun.output.contains("+           1000"))
    }

    @Test func aDatabaseThatCannotBeOpenedIsNamed() async throws {
        let missingFolder = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-folder-\(UUID().uuidString)/switchyard.sqlite")
            .path
        let result = try await CommandProcess.run(["serve", "--db", missingFolder, "--port", "0"])
        #expect(result.status == 1)
        #expect(result.errors.hasPrefix("error: cannot open the SQLite database \(missingFolder): "))
        #expect(result.output.isEmpty, "no admin key printed")
    }

    @Test func theDemoDocumentIsTheExampleFile() throws {
        let example = try String(contentsOfFile: "examples/flags.json", encoding: .utf8)
        #expect(try JSONValue(parsing: DemoFlags.document) == JSONValue(parsing: example))
    }

    /// The URL a starting server listens on, from its log.
    static func listeningURL(_ server: CommandProcess) async throws -> String {
        #expect(await eventually { server.errors.contains("Server started and listening on") })
        let match = try #require(server.errors.firstMatch(of: /listening on (127\.0\.0\.1:\d+)/))
        return "http://\(match.output.1)"
    }
}
