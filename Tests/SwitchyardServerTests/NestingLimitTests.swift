import Foundation
import GRDB
import HummingbirdTesting
import SwitchyardCore
import SwitchyardStore
import SwitchyardTestSupport
import Testing

@Suite struct NestingLimitTests {
    /// A flag whose definition nests `depth` levels (even, at least 6): `if` wrapped in `if`.
    static func flag(_ key: String, nestingDepth depth: Int) -> JSONValue {
        var targeting: JSONValue = ["if": [["==": [["var": "plan"], "pro"]], "on", "off"]]
        for _ in 0..<((depth - 6) / 2) { targeting = ["if": [true, targeting, "off"]] }
        let flag = TestServer.creation(
            key, ["state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off", "targeting": targeting])
        guard case .object(var members) = flag else { return flag }
        members["key"] = nil
        #expect(JSONValue.object(members).nestingDepth == depth)
        return flag
    }

    @Test func aFlagDeeperThanTheLimitIsRefusedNamingIt() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            let deep = try await client.send(.post, "/api/v1/flags", key: test.admin, json: Self.flag("deep", nestingDepth: 66))
            #expect(deep.status == .badRequest)
            #expect(try deep.json["error"]?["problems"]?.arrayValue?.first?["message"]?.stringValue == "nests 66 levels deep; at most 64 are allowed")
            var segment: JSONValue = ["!": ["var": "plan"]]
            for _ in 0..<32 { segment = ["and": [true, segment]] }
            let refused = try await client.send(.put, "/api/v1/segments/deep", key: test.admin, json: segment)
            #expect(refused.status == .badRequest)
            #expect(try await client.send(.get, "/api/v1/segments", key: test.admin).json["segments"] == [])
        }
    }

    @Test func whatIsWrittenAtTheLimitIsServedExportedImportedAndSurvivesARestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let first = try await TestServer(store: GRDBFlagStore(DatabaseQueue(path: path), logger: LogCapture().logger))
        try await first.application().test(.router) { client in
            #expect(try await client.send(.post, "/api/v1/flags", key: first.admin, json: Self.flag("deep", nestingDepth: 64)).status == .created)
            var segment: JSONValue = ["!": ["var": "plan"]]
            for _ in 0..<31 { segment = ["and": [true, segment]] }
            #expect(segment.nestingDepth == 64)
            #expect(try await client.send(.put, "/api/v1/segments/deep", key: first.admin, json: segment).status == .created)
            #expect(try await client.send(.put, "/api/v1/segments/pro", key: first.admin, json: ["==": [["var": "plan"], "pro"]]).status == .created)

            let served = try await client.send(.get, "/api/v1/sdk/flags", key: first.sdk)
            #expect(served.status == .ok)
            let document = try FlagDocument(json: try #require(try JSONValue(parsing: String(buffer: served.body))["document"]))
            #expect(document.resolve("deep", context: EvaluationContext(targetingKey: "u", attributes: ["plan": "pro"])).value == .bool(true))

            let export = try await client.send(.get, "/api/v1/export", key: first.admin)
            #expect(export.status == .ok)
            #expect(try await client.send(.post, "/api/v1/import", key: first.admin, json: try export.json).status == .ok)
            let feed = try await client.send(.get, "/api/v1/audit", key: first.admin)
            #expect(feed.status == .ok)
        }

        let second = try await TestServer(store: GRDBFlagStore(DatabaseQueue(path: path), logger: LogCapture().logger))
        try await second.application().test(.router) { client in
            let answer = try await client.send(
                .post, "/ofrep/v1/evaluate/flags/deep", key: second.sdk, json: ["context": ["targetingKey": "u", "plan": "pro"]])
            #expect(answer.status == .ok)
            #expect(try answer.json["value"] == true)
        }
    }
}
