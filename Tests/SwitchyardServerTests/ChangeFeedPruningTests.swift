import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchyardCore
import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport
import Testing

@Suite struct ChangeFeedPruningTests {
    /// Creates `summary`, disables and enables it; the three versions.
    static func threeChanges(_ client: some TestClientProtocol, _ test: TestServer) async throws -> [Int64] {
        let created = try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
        let disabled = try await client.send(.post, "/api/v1/flags/summary/disable", key: test.admin)
        let enabled = try await client.send(.post, "/api/v1/flags/summary/enable", key: test.admin)
        return try [created, disabled, enabled].map { Int64(try #require(try $0.json["version"]?.numberValue)) }
    }

    @Test func resumingFromAPrunedVersionGetsTheWholeDocument() async throws {
        let test = try await TestServer()
        try await test.application().testLive { client in
            let versions = try await Self.threeChanges(client, test)
            #expect(try await test.store.pruneChanges(keepingNewest: 1, before: .distantFuture) == 2)

            // Only the change after versions[0] that is left would be replayed: the disable is gone.
            let pruned = try await SSEClient(
                port: try #require(client.port), path: "/api/v1/sdk/stream", key: test.sdk, lastEventID: "\(versions[0])")
            let opening = try #require(try await pruned.next())
            #expect(opening.event == "document")
            #expect(opening.id == "\(versions[2])")
            #expect(try JSONValue(parsing: opening.data)["document"]?["flags"]?["summary"]?["state"] == "ENABLED")

            // From the newest pruned version on, the feed is complete and the missed change is replayed.
            let complete = try await SSEClient(
                port: try #require(client.port), path: "/api/v1/sdk/stream", key: test.sdk, lastEventID: "\(versions[1])")
            let replayed = try #require(try await complete.next())
            #expect(replayed.event == "change")
            #expect(replayed.id == "\(versions[2])")
        }
    }

    @Test func theServerPrunesAtStartAsConfigured() async throws {
        let clock = TestClock()
        let test = try await TestServer(changeRetention: ChangeRetention(newestChanges: 2, days: 30), clock: clock)
        let flag = try #require(TestServer.summary.objectValue)
        var versions: [Int64] = []
        for mutation in [
            Mutation.createFlag(key: "summary", definition: .object(flag)), .setEnabled(key: "summary", enabled: false), .kill(key: "summary"),
        ] {
            versions.append(try await test.store.apply(mutation, to: "production", by: .system, reason: "test").version)
        }

        // Thirty-one days later the oldest change is beyond both the newest two and the thirty days.
        clock.advance(by: 31 * 86_400)
        try await test.application().test(.router) { _ in
            let deadline = ContinuousClock.now + .seconds(10)
            while try await test.store.changesPrunedThrough(in: "production") == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        #expect(try await test.store.changesPrunedThrough(in: "production") == versions[0])
        #expect(try await test.store.changes(in: "production", after: 0, limit: 10).map(\.version) == Array(versions.dropFirst()))
        #expect(try await test.store.auditEntries(in: "production", flag: "summary", limit: 10).count == 3)
        #expect(test.logs.text.contains("change feed pruned"))
    }

    @Test func changesPrunedBeforeTheServerReadThemStillReachEveryClient() async throws {
        let test = try await TestServer()
        // Written behind the server's back and pruned before it caught up: catching up from its
        // snapshot would skip the first flag.
        let author = Author(id: "other", name: "another server")
        let flag = try #require(TestServer.summary.objectValue)
        _ = try await test.store.apply(.createFlag(key: "first", definition: .object(flag)), to: "production", by: author, reason: nil)
        _ = try await test.store.apply(.createFlag(key: "second", definition: .object(flag)), to: "production", by: author, reason: nil)
        #expect(try await test.store.pruneChanges(keepingNewest: 1, before: .distantFuture) == 1)
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("third"))
            let bulk = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk)
            #expect(try bulk.json["flags"]?.arrayValue?.compactMap { $0["key"]?.stringValue } == ["first", "second", "third"])
        }
    }

    @Test func propagationOfAPrunedChangeAnswersFromTheAuditLog() async throws {
        let test = try await TestServer()
        try await test.application().testLive { client in
            let versions = try await Self.threeChanges(client, test)
            let port = try #require(client.port)
            let current = try await SSEClient(port: port, path: "/api/v1/sdk/stream?client=current", key: test.sdk)
            let silent = try await SSEClient(port: port, path: "/api/v1/sdk/stream?client=silent", key: test.sdk)
            for stream in [current, silent] { _ = try #require(try await stream.next()) }
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("other"))
            let other = try #require(try await test.store.latestChange(of: "other", in: "production")).version
            try await client.send(.post, "/api/v1/sdk/applied", key: test.sdk, json: ["client": "current", "version": .integer(other)])

            let retained = try await client.send(.get, "/api/v1/flags/summary/propagation", key: test.admin)
            #expect(try retained.json["retained"] == true)
            #expect(try retained.json["version"] == .integer(versions[2]))
            #expect(try retained.json["appliedP50Ms"]?.numberValue != nil)

            #expect(try await test.store.pruneChanges(keepingNewest: 1, before: .distantFuture) == 3)
            let pruned = try await client.send(.get, "/api/v1/flags/summary/propagation", key: test.admin)
            #expect(pruned.status == .ok)
            let answer = try pruned.json
            #expect(answer["retained"] == false)
            #expect(answer["version"] == .integer(versions[2]))
            #expect(answer["action"] == "flag.enable")
            #expect(answer["changedAt"]?.stringValue != nil)
            #expect(answer["prunedThrough"] == .integer(versions[2]))
            #expect(answer["connectedClients"] == 2)
            #expect(answer["applied"] == 1)
            #expect(answer["delivered"] == 2, "the silent stream got the document, which counts as delivery")
            #expect(answer["clientsWithoutReceipts"] == 1)
            #expect(answer["behindClients"] == [])
            #expect(answer["appliedP50Ms"] == .null)
            #expect(answer["note"]?.stringValue?.contains("older than the retained change feed") == true)
        }
    }

    @Test func propagationSaysWhyAFlagHasNoChangeToReport() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/import", key: test.admin, json: ["flags": ["imported": TestServer.summary]])
            let imported = try await client.send(.get, "/api/v1/flags/imported/propagation", key: test.admin)
            #expect(imported.status == .notFound)
            #expect(try imported.json["error"]?["message"]?.stringValue?.hasPrefix("flag imported has had no change of its own") == true)

            let missing = try await client.send(.get, "/api/v1/flags/nope/propagation", key: test.admin)
            #expect(missing.status == .notFound)
            #expect(try missing.json["error"]?["message"] == "flag nope not found")
            let nowhere = try await client.send(.get, "/api/v1/flags/nope/propagation?env=nowhere", key: test.admin)
            #expect(try nowhere.json["error"]?["message"] == "environment nowhere not found")
        }
    }
}
