import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SwitchyardCore
import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport
import Testing

@Suite struct AdminAPITests {
    @Test func keysAreRequiredAndOfTheRightKind() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            #expect(try await client.send(.get, "/api/v1/flags", key: nil).status == .unauthorized)
            #expect(try await client.send(.get, "/api/v1/flags", key: "sy_admin_wrong").status == .unauthorized)
            #expect(try await client.send(.get, "/api/v1/flags", key: test.sdk).status == .forbidden)
            #expect(try await client.send(.post, "/ofrep/v1/evaluate/flags/x", key: nil).status == .unauthorized)
            #expect(try await client.send(.post, "/ofrep/v1/evaluate/flags/x", key: test.admin).status == .forbidden)
            #expect(try await client.send(.get, "/api/v1/sdk/flags", key: test.admin).status == .forbidden)
            let viaHeader = try await client.execute(uri: "/api/v1/flags", method: .get, headers: [.xAPIKey: test.admin])
            #expect(viaHeader.status == .ok)
        }
    }

    @Test func flagsAreCreatedReadUpdatedAndDeletedWithVersions() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            let created = try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            #expect(created.status == .created)
            #expect(created.headers[.eTag] == "\"1\"")
            #expect(try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary")).status == .conflict)

            var changed = TestServer.summary.objectValue!
            changed["defaultVariant"] = "on"
            let updated = try await client.send(.put, "/api/v1/flags/summary", key: test.admin, json: .object(changed), headers: [.ifMatch: "\"1\""])
            #expect(updated.status == .ok)
            #expect(updated.headers[.eTag] == "\"2\"")

            changed["defaultVariant"] = "off"
            let unversioned = try await client.send(.put, "/api/v1/flags/summary", key: test.admin, json: .object(changed))
            #expect(unversioned.status == .preconditionRequired)
            #expect(try unversioned.json["error"]?["problems"]?.arrayValue?.first?["path"] == "If-Match")
            let stale = try await client.send(.put, "/api/v1/flags/summary", key: test.admin, json: .object(changed), headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .conflict)
            #expect(try stale.json["error"]?["code"] == "version_conflict")

            let read = try await client.send(.get, "/api/v1/flags/summary", key: test.admin)
            #expect(try read.json["definition"]?["defaultVariant"] == "on")
            #expect(try read.json["version"] == 2)

            let listed = try await client.send(.get, "/api/v1/flags", key: test.admin)
            #expect(try listed.json["flags"]?.arrayValue?.count == 1)

            #expect(try await client.send(.delete, "/api/v1/flags/summary", key: test.admin).status == .ok)
            #expect(try await client.send(.get, "/api/v1/flags/summary", key: test.admin).status == .notFound)
        }
    }

    @Test func invalidInputIsA400NamingThePlaceAndChangesNothing() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            let broken = try await client.send(
                .post, "/api/v1/flags", key: test.admin,
                json: ["key": "broken", "state": "ENABLED", "variants": ["on": true], "defaultVariant": "missing", "colour": "red"])
            #expect(broken.status == .badRequest)
            let paths = try broken.json["error"]?["problems"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
            #expect(paths.contains("flags.broken.colour"))
            #expect(paths.contains { $0.hasPrefix("flags.broken.defaultVariant") || $0 == "flags.broken" })

            let notJSON = try await client.execute(
                uri: "/api/v1/flags", method: .post, headers: [.authorization: "Bearer \(test.admin)"], body: ByteBuffer(string: "{\"key\":"))
            #expect(notJSON.status == .badRequest)
            #expect(try notJSON.json["error"]?["problems"]?.arrayValue?.first?["path"] == "body")

            let unknownKeyField = try await client.send(.post, "/api/v1/keys", key: test.admin, json: ["kind": "sdk", "role": "x"])
            #expect(unknownKeyField.status == .badRequest)
            #expect(try unknownKeyField.json["error"]?["problems"]?.arrayValue?.first?["path"] == "body.role")

            let badImport = try await client.send(.post, "/api/v1/import", key: test.admin, json: ["flags": ["x": ["state": "MAYBE"]]])
            #expect(badImport.status == .badRequest)

            #expect(try await test.store.state(of: "production").flags.isEmpty)
            #expect(try await test.store.auditEntries(in: "production", flag: nil, limit: 100).allSatisfy { $0.action == "key.create" })
        }
    }

    @Test func killServesTheSafeVariantNeedsAReasonAndIsAudited() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            let noReason = try await client.send(.post, "/api/v1/flags/summary/kill", key: test.admin)
            #expect(noReason.status == .badRequest)
            #expect(try noReason.json["error"]?["problems"]?.arrayValue?.first?["path"] == "reason")

            let killed = try await client.send(.post, "/api/v1/flags/summary/kill", key: test.admin, json: ["reason": "hallucinations"])
            #expect(killed.status == .ok)
            let served = try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk, json: ["context": ["plan": "pro"]])
            #expect(try served.json["value"] == false)

            #expect(try await client.send(.post, "/api/v1/flags/summary/unkill", key: test.admin).status == .ok)
            #expect(try await client.send(.post, "/api/v1/flags/summary/unkill", key: test.admin).status == .conflict)
            let restored = try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk, json: ["context": ["plan": "pro"]])
            #expect(try restored.json["value"] == true)

            let audit = try await client.send(.get, "/api/v1/audit?flag=summary", key: test.admin)
            let entries = try #require(try audit.json["entries"]?.arrayValue)
            #expect(entries.compactMap { $0["action"]?.stringValue } == ["flag.unkill", "flag.kill", "flag.create"])
            #expect(entries[1]["reason"] == "hallucinations")
            #expect(entries[1]["author"]?["name"] == "admin")
            #expect(entries[1]["before"]?["kill"] == nil)
            #expect(entries[1]["after"]?["kill"]?["reason"] == "hallucinations")
        }
    }

    @Test func permanentFlagsAreProtectedAndNeverStale() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            try await client.send(
                .post, "/api/v1/flags", key: test.admin,
                json: [
                    "key": "breaker", "state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "on",
                    "metadata": ["permanent": true],
                ])
            try await client.send(
                .post, "/api/v1/flags", key: test.admin,
                json: ["key": "old", "state": "ENABLED", "variants": ["on": true], "defaultVariant": "on"])
            let refused = try await client.send(.delete, "/api/v1/flags/breaker", key: test.admin)
            #expect(refused.status == .conflict)
            #expect(try await client.send(.get, "/api/v1/flags/breaker", key: test.admin).status == .ok)

            // A second later (the server's clock is the test's: without a step, the flags were changed
            // "now" to the millisecond, and their stored time reads back within a rounding of it).
            test.clock.advance(by: .seconds(1))
            let stale = try await client.send(.get, "/api/v1/flags/stale?days=0", key: test.admin)
            #expect(try stale.json["flags"]?.arrayValue?.compactMap { $0["key"]?.stringValue } == ["old"])
            let notYet = try await client.send(.get, "/api/v1/flags/stale?days=30", key: test.admin)
            #expect(try notYet.json["flags"] == [])

            #expect(try await client.send(.delete, "/api/v1/flags/breaker?force=true", key: test.admin).status == .ok)
        }
    }

    @Test func importAndExportRoundTripAFlagdDocument() async throws {
        let test = try await TestServer()
        let document: JSONValue = [
            "flags": [
                "summary": TestServer.summary,
                "color": [
                    "state": "ENABLED", "variants": ["red": "red"], "defaultVariant": "red",
                    "targeting": ["if": [["$ref": "pros"], "red", .null]],
                ],
            ],
            "$evaluators": ["pros": ["==": [["var": "plan"], "pro"]]],
            "metadata": ["team": "ai"],
        ]
        try await test.application().test(.router) { client in
            #expect(try await client.send(.post, "/api/v1/import", key: test.admin, json: document).status == .ok)
            let exported = try await client.send(.get, "/api/v1/export", key: test.admin)
            #expect(try exported.json == document)
            let segments = try await client.send(.get, "/api/v1/segments", key: test.admin)
            #expect(try segments.json["segments"] == [["name": "pros", "version": 1, "rule": ["==": [["var": "plan"], "pro"]]]])
            #expect(try await client.send(.delete, "/api/v1/segments/pros", key: test.admin).status == .conflict)
        }
    }

    @Test func segmentsAreSharedRulesServedAsEvaluators() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            let empty = try await client.send(.put, "/api/v1/segments/pros", key: test.admin, json: [:])
            #expect(empty.status == .badRequest)
            #expect(try empty.json["error"]?["problems"]?.arrayValue?.first?["path"] == "$evaluators.pros")

            #expect(try await client.send(.put, "/api/v1/segments/pros", key: test.admin, json: ["==": [["var": "plan"], "pro"]]).status == .created)
            try await client.send(
                .post, "/api/v1/flags", key: test.admin,
                json: [
                    "key": "summary", "state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off",
                    "targeting": ["if": [["$ref": "pros"], "on", "off"]],
                ])
            let pro = try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk, json: ["context": ["plan": "pro"]])
            #expect(try pro.json["value"] == true)

            let changed = try await client.send(
                .put, "/api/v1/segments/pros", key: test.admin, json: ["==": [["var": "plan"], "team"]], headers: [.ifMatch: "\"1\""])
            #expect(changed.status == .ok)
            let afterChange = try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk, json: ["context": ["plan": "pro"]])
            #expect(try afterChange.json["value"] == false)

            let unknownReference = try await client.send(
                .post, "/api/v1/flags", key: test.admin,
                json: [
                    "key": "other", "state": "ENABLED", "variants": ["on": true], "defaultVariant": "on",
                    "targeting": ["if": [["$ref": "nobody"], "on", .null]],
                ])
            #expect(unknownReference.status == .badRequest)
        }
    }

    @Test func keysAreShownOnceListedAndRevoked() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            let created = try await client.send(.post, "/api/v1/keys", key: test.admin, json: ["kind": "sdk", "name": "mobile"])
            #expect(created.status == .created)
            let secret = try #require(try created.json["key"]?.stringValue)
            let id = try #require(try created.json["id"]?.stringValue)
            #expect(try await client.send(.get, "/api/v1/sdk/flags", key: secret).status == .ok)

            let listed = String(buffer: try await client.send(.get, "/api/v1/keys", key: test.admin).body)
            #expect(listed.contains(id))
            #expect(!listed.contains(secret))

            #expect(try await client.send(.delete, "/api/v1/keys/\(id)", key: test.admin).status == .ok)
            #expect(try await client.send(.get, "/api/v1/sdk/flags", key: secret).status == .unauthorized)
            #expect(!test.logs.text.contains(secret))
            #expect(!test.logs.text.contains(test.admin))
        }
    }

    @Test func healthReadinessAndMetrics() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            #expect(try await client.send(.get, "/healthz", key: nil).status == .ok)
            #expect(try await client.send(.get, "/readyz", key: nil).status == .ok)
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk)
            try await client.send(.post, "/ofrep/v1/evaluate/flags/no-such-flag-1", key: test.sdk)
            try await client.send(.post, "/ofrep/v1/evaluate/flags/no-such-flag-2", key: test.sdk)
            try await client.send(.post, "/api/v1/flags/summary/kill", key: test.admin, json: ["reason": "test"])
            let metrics = String(buffer: try await client.send(.get, "/metrics", key: nil).body)
            #expect(metrics.contains("switchyard_evaluations_total{flag=\"summary\",variant=\"off\",reason=\"TARGETING_MATCH\"} 1"))
            #expect(metrics.contains("switchyard_evaluations_total{flag=\"(unknown)\",variant=\"\",reason=\"FLAG_NOT_FOUND\"} 2"))
            #expect(!metrics.contains("no-such-flag"))
            #expect(metrics.contains("switchyard_kills_total 1"))
            #expect(metrics.contains("switchyard_http_requests_total"))
        }
    }

    @Test func writesSurviveARestartOnTheSameFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-\(UUID().uuidString).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let admin: String
        do {
            let store = try GRDBFlagStore.open(path: path, logger: logger)
            admin = try await store.createAPIKey(APIKeyRequest(kind: .admin, environment: nil, name: "admin"), by: .system).secret
            let server = SwitchyardServer(store: store, configuration: ServerConfiguration(port: 0), registry: .init(), logger: logger)
            try await server.makeApplication().test(.router) { client in
                try await client.send(.post, "/api/v1/flags", key: admin, json: TestServer.creation("summary"))
                try await client.send(.post, "/api/v1/flags/summary/kill", key: admin, json: ["reason": "restart test"])
            }
        }
        let reopened = try GRDBFlagStore.open(path: path, logger: logger)
        let server = SwitchyardServer(store: reopened, configuration: ServerConfiguration(port: 0), registry: .init(), logger: logger)
        try await server.makeApplication().test(.router) { client in
            let flag = try await client.send(.get, "/api/v1/flags/summary", key: admin)
            #expect(flag.status == .ok)
            #expect(try flag.json["kill"]?["reason"] == "restart test")
        }
    }

    /// The snapshots load when the application starts, before it answers: a store that cannot be
    /// read ends the application with the error instead of serving without them.
    @Test func aStoreThatCannotBeLoadedStopsTheApplicationBeforeItAnswers() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-\(UUID().uuidString).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let store = try GRDBFlagStore.open(path: path, logger: logger)
        try await DatabaseQueue(path: path).write { db in try db.execute(sql: "UPDATE environment SET top_level = 'not json'") }
        let server = SwitchyardServer(store: store, configuration: ServerConfiguration(port: 0), registry: .init(), logger: logger)
        await #expect(throws: JSONParseError.self) {
            try await server.makeApplication().test(.router) { _ in Issue.record("the application answered without its snapshots") }
        }
    }
}

extension HTTPField.Name {
    static let xAPIKey = HTTPField.Name("X-API-Key")!
}
