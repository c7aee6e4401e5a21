import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchyardCore
@testable import SwitchyardStore
import SwitchyardTestSupport
import Testing

@Suite struct SegmentVersionAPITests {
    static let pros: JSONValue = ["==": [["var": "plan"], "pro"]]
    static let paying: JSONValue = ["in": [["var": "plan"], ["pro", "team"]]]
    /// A flag that is on for the `pros` segment.
    static let summary: JSONValue = [
        "key": "summary", "state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off",
        "targeting": ["if": [["$ref": "pros"], "on", "off"]],
    ]

    @Test func everySegmentHasAVersionInItsAnswersAndETag() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            let created = try await client.send(.put, "/api/v1/segments/pros", key: test.admin, json: Self.pros)
            #expect(created.status == .created)
            #expect(created.headers[.eTag] == "\"1\"")
            #expect(try created.json["segment"] == ["name": "pros", "version": 1, "rule": Self.pros])

            let read = try await client.send(.get, "/api/v1/segments/pros", key: test.admin)
            #expect(read.headers[.eTag] == "\"1\"")
            #expect(try read.json == ["name": "pros", "version": 1, "rule": Self.pros])

            let updated = try await client.send(.put, "/api/v1/segments/pros", key: test.admin, json: Self.paying, headers: [.ifMatch: "\"1\""])
            #expect(updated.status == .ok)
            #expect(updated.headers[.eTag] == "\"2\"")
            #expect(try updated.json["segment"]?["version"] == 2)
            let listed = try await client.send(.get, "/api/v1/segments", key: test.admin)
            #expect(try listed.json["segments"] == [["name": "pros", "version": 2, "rule": Self.paying]])

            let audit = try await client.send(.get, "/api/v1/audit", key: test.admin).json["entries"]?.arrayValue ?? []
            let writes = audit.filter { $0["action"]?.stringValue?.hasPrefix("segment.") == true }
            #expect(writes.compactMap { $0["action"]?.stringValue } == ["segment.update", "segment.create"])
            #expect(writes[0]["before"] == ["name": "pros", "version": 1, "rule": Self.pros])
            #expect(writes[0]["after"] == ["name": "pros", "version": 2, "rule": Self.paying])

            #expect(try await client.send(.get, "/api/v1/segments/nope", key: test.admin).status == .notFound)
        }
    }

    @Test func aStaleUpdateIs409AndChangesNothing() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            try await client.send(.put, "/api/v1/segments/pros", key: test.admin, json: Self.pros)
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: Self.summary)
            try await client.send(.put, "/api/v1/segments/pros", key: test.admin, json: Self.paying, headers: [.ifMatch: "\"1\""])
            let audited = try await test.store.auditEntries(in: "production", flag: nil, limit: 100)
            let environmentVersion = try await test.store.state(of: "production").version

            let stale = try await client.send(.put, "/api/v1/segments/pros", key: test.admin, json: Self.pros, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .conflict)
            #expect(try stale.json["error"]?["code"] == "version_conflict")
            #expect(try stale.json["error"]?["message"] == "version 1 is stale; the current version is 2")

            let unversioned = try await client.send(.put, "/api/v1/segments/pros", key: test.admin, json: Self.pros)
            #expect(unversioned.status == .preconditionRequired)
            #expect(try unversioned.json["error"]?["code"] == "version_required")
            #expect(try unversioned.json["error"]?["problems"]?.arrayValue?.first?["path"] == "If-Match")

            let badVersion = try await client.send(.put, "/api/v1/segments/pros", key: test.admin, json: Self.pros, headers: [.ifMatch: "two"])
            #expect(badVersion.status == .badRequest)
            #expect(try badVersion.json["error"]?["problems"]?.arrayValue?.first?["path"] == "If-Match")

            let missing = try await client.send(.put, "/api/v1/segments/nope", key: test.admin, json: Self.pros, headers: [.ifMatch: "\"1\""])
            #expect(missing.status == .notFound)

            #expect(
                try await client.send(.get, "/api/v1/segments/pros", key: test.admin).json == ["name": "pros", "version": 2, "rule": Self.paying])
            #expect(try await client.send(.get, "/api/v1/segments/nope", key: test.admin).status == .notFound)
            #expect(try await test.store.auditEntries(in: "production", flag: nil, limit: 100) == audited)
            #expect(try await test.store.state(of: "production").version == environmentVersion)
            let team = try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk, json: ["context": ["plan": "team"]])
            #expect(try team.json["value"] == true)
        }
    }

    @Test func aStaleDeleteIs409AndTheCurrentVersionDeletes() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            try await client.send(.put, "/api/v1/segments/pros", key: test.admin, json: Self.pros)
            try await client.send(.put, "/api/v1/segments/pros", key: test.admin, json: Self.paying, headers: [.ifMatch: "\"1\""])

            let stale = try await client.send(.delete, "/api/v1/segments/pros", key: test.admin, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .conflict)
            #expect(try stale.json["error"]?["code"] == "version_conflict")
            #expect(try await client.send(.get, "/api/v1/segments/pros", key: test.admin).status == .ok)

            let deleted = try await client.send(.delete, "/api/v1/segments/pros", key: test.admin, headers: [.ifMatch: "\"2\""])
            #expect(deleted.status == .ok)
            #expect(try await client.send(.get, "/api/v1/segments/pros", key: test.admin).status == .notFound)
            let deletion = try #require(try await test.store.auditEntries(in: "production", flag: nil, limit: 1).first)
            #expect(deletion.action == "segment.delete")
            #expect(deletion.before == ["name": "pros", "version": 2, "rule": Self.paying])

            // As for flags, If-Match is optional on a delete.
            try await client.send(.put, "/api/v1/segments/teams", key: test.admin, json: Self.paying)
            #expect(try await client.send(.delete, "/api/v1/segments/teams", key: test.admin).status == .ok)
        }
    }

    @Test func segmentsStoredBeforeVersionsServeAndUpdateFromVersionOne() async throws {
        let queue = try DatabaseQueue()
        try GRDBFlagStore<DatabaseQueue>.migrator.migrate(queue, upTo: "v3-change-pruning")
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO environment (name, created_at) VALUES ('production', ?)", arguments: [Date()])
            try db.execute(sql: "INSERT INTO segment (environment, name, rule) VALUES ('production', 'pros', ?)", arguments: [Self.pros.serialized()])
        }
        let test = try await TestServer(store: try GRDBFlagStore(queue, logger: LogCapture().logger))
        try await test.application().test(.router) { client in
            let read = try await client.send(.get, "/api/v1/segments/pros", key: test.admin)
            #expect(read.headers[.eTag] == "\"1\"")
            #expect(try read.json == ["name": "pros", "version": 1, "rule": Self.pros])
            let export = try await client.send(.get, "/api/v1/export", key: test.admin)
            #expect(try export.json["$evaluators"] == ["pros": Self.pros])

            let updated = try await client.send(.put, "/api/v1/segments/pros", key: test.admin, json: Self.paying, headers: [.ifMatch: "\"1\""])
            #expect(updated.status == .ok)
            #expect(updated.headers[.eTag] == "\"2\"")
        }
    }
}
