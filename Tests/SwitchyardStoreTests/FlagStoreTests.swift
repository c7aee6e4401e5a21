import Foundation
import Logging
import SwitchyardCore
import SwitchyardStore
import Testing

/// What every ``FlagStore`` does, run against each ``StoreBackend``.
@Suite struct FlagStoreTests {
    let admin = Author(id: "key_test", name: "tester")

    static let summary: JSONValue = [
        "state": "ENABLED",
        "variants": ["on": true, "off": false],
        "defaultVariant": "off",
        "safeVariant": "off",
        "targeting": ["if": [["==": [["var": "plan"], "pro"]], "on", .null]],
    ]

    @Test(arguments: StoreBackend.configured) func firstStartCreatesProduction(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested async throws in
            let store = tested.store
            #expect(try await store.environments().map(\.name) == ["production"])
            #expect(try await store.state(of: "production").flags.isEmpty)
        }
    }

    /// One flag read alone is the flag the whole state has, kill included; a missing flag is `nil`
    /// and a missing environment is not found, with the closest name.
    @Test(arguments: StoreBackend.configured) func oneFlagIsReadAlone(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            _ = try await store.apply(.createFlag(key: "summary", definition: Self.summary), to: "production", by: admin, reason: nil)
            _ = try await store.apply(.kill(key: "summary"), to: "production", by: admin, reason: "bad outputs")
            let alone = try await store.flag("summary", in: "production")
            #expect(alone != nil)
            #expect(alone == (try await store.state(of: "production").flags["summary"]))
            #expect(alone?.kill?.reason == "bad outputs")
            #expect(try await store.flag("summry", in: "production") == nil)
            do {
                _ = try await store.existingFlag("summry", in: "production")
                Issue.record("a missing flag must be not found")
            } catch let error as StoreError {
                #expect(error.description == "flag summry not found; did you mean \"summary\"?")
            }
            do {
                _ = try await store.flag("summary", in: "prodution")
                Issue.record("a missing environment must be not found")
            } catch let error as StoreError {
                #expect(error.kind == .notFound)
                #expect(error.description == "environment prodution not found; did you mean \"production\"?")
            }
        }
    }

    @Test(arguments: StoreBackend.configured) func aWriteStoresFlagAuditAndChangeTogether(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            let first = try await store.apply(.createFlag(key: "summary", definition: Self.summary), to: "production", by: admin, reason: "launch")
            let second = try await store.apply(.setEnabled(key: "summary", enabled: false), to: "production", by: admin, reason: nil)
            #expect(second.version > first.version)

            let state = try await store.state(of: "production")
            #expect(state.flags["summary"]?.version == 2)
            #expect(state.flags["summary"]?.definition["state"] == "DISABLED")
            #expect(state.version == second.version)

            let audit = try await store.auditEntries(in: "production", flag: "summary", limit: 10)
            #expect(audit.map(\.action) == ["flag.disable", "flag.create"])
            #expect(audit.last?.reason == "launch")
            #expect(audit.last?.author == admin)
            #expect(audit.last?.before == nil)
            #expect(audit.first?.before?["definition"]?["state"] == "ENABLED")
            #expect(audit.first?.after?["definition"]?["state"] == "DISABLED")
            #expect(audit.first?.version == second.version)

            let changes = try await store.changes(in: "production", after: first.version, limit: 10)
            #expect(changes.map(\.version) == [second.version])
            #expect(changes.map(\.payload) == [second.payload])
        }
    }

    @Test(arguments: StoreBackend.configured) func anInvalidFlagIsRefusedWithItsPlaceAndNothingIsStored(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            let broken: JSONValue = ["state": "ENABLED", "variants": ["on": true], "defaultVariant": "missing"]
            let error = try await #require(throws: StoreError.self) {
                try await store.apply(.createFlag(key: "broken", definition: broken), to: "production", by: admin, reason: nil)
            }
            #expect(error.kind == .invalid)
            #expect(error.problems.contains { $0.path.hasPrefix("flags.broken") })
            #expect(try await store.state(of: "production").flags.isEmpty)
            #expect(try await store.auditEntries(in: nil, flag: nil, limit: 10).isEmpty)
            #expect(try await store.changes(in: "production", after: 0, limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.configured) func aStaleVersionIsAConflictAndChangesNothing(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            _ = try await store.apply(.createFlag(key: "summary", definition: Self.summary), to: "production", by: admin, reason: nil)
            _ = try await store.apply(
                .updateFlag(key: "summary", definition: Self.summary, expectedVersion: 1), to: "production", by: admin, reason: nil)
            var changed = Self.summary.objectValue!
            changed["defaultVariant"] = "on"
            let error = try await #require(throws: StoreError.self) {
                try await store.apply(
                    .updateFlag(key: "summary", definition: .object(changed), expectedVersion: 1), to: "production", by: admin, reason: nil)
            }
            #expect(error.kind == .versionConflict)
            #expect(error.currentVersion == 2)
            #expect(try await store.state(of: "production").flags["summary"]?.definition["defaultVariant"] == "off")
        }
    }

    @Test(arguments: StoreBackend.configured) func aPermanentFlagIsOnlyDeletedWhenForced(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            var permanent = Self.summary.objectValue!
            permanent["metadata"] = ["permanent": true]
            _ = try await store.apply(.createFlag(key: "kill-switch", definition: .object(permanent)), to: "production", by: admin, reason: nil)
            let error = try await #require(throws: StoreError.self) {
                try await store.apply(.deleteFlag(key: "kill-switch", force: false, expectedVersion: nil), to: "production", by: admin, reason: nil)
            }
            #expect(error.kind == .conflict)
            #expect(try await store.state(of: "production").flags["kill-switch"] != nil)
            let record = try await store.apply(
                .deleteFlag(key: "kill-switch", force: true, expectedVersion: nil), to: "production", by: admin, reason: "retired")
            #expect(record.payload == .flag(key: "kill-switch", served: nil))
            let stored = try await store.changes(in: "production", after: record.version - 1, limit: 1)
            #expect(stored.map(\.payload) == [.flag(key: "kill-switch", served: nil)])
            #expect(try await store.state(of: "production").flags["kill-switch"] == nil)
        }
    }

    @Test(arguments: StoreBackend.configured) func aKillServesTheSafeVariantUntilUnkilled(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            _ = try await store.apply(.createFlag(key: "summary", definition: Self.summary), to: "production", by: admin, reason: nil)
            await #expect(throws: StoreError.self) {
                try await store.apply(.kill(key: "summary"), to: "production", by: admin, reason: "  ")
            }
            let kill = try await store.apply(.kill(key: "summary"), to: "production", by: admin, reason: "hallucinating")
            guard case .flag(_, let served?) = kill.payload else {
                Issue.record("a kill must carry the served flag")
                return
            }
            #expect(served["targeting"] == nil)
            let document = try FlagDocument(json: try await store.state(of: "production").servedDocument)
            let resolution = document.resolve("summary", context: EvaluationContext(attributes: ["plan": "pro"]))
            #expect(resolution.value == false)
            #expect(resolution.variant == "off")

            _ = try await store.apply(.unkill(key: "summary"), to: "production", by: admin, reason: nil)
            let restored = try FlagDocument(json: try await store.state(of: "production").servedDocument)
            #expect(restored.resolve("summary", context: EvaluationContext(attributes: ["plan": "pro"])).value == true)
            let actions = try await store.auditEntries(in: "production", flag: "summary", limit: 10).map(\.action)
            #expect(actions == ["flag.unkill", "flag.kill", "flag.create"])
        }
    }

    @Test(arguments: StoreBackend.configured) func segmentsAreSharedRulesThatCannotBeRemovedWhileUsed(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            _ = try await store.apply(.createSegment(name: "pros", rule: ["==": [["var": "plan"], "pro"]]), to: "production", by: admin, reason: nil)
            let flag: JSONValue = [
                "state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off",
                "targeting": ["if": [["$ref": "pros"], "on", "off"]],
            ]
            _ = try await store.apply(.createFlag(key: "summary", definition: flag), to: "production", by: admin, reason: nil)
            let error = try await #require(throws: StoreError.self) {
                try await store.apply(.deleteSegment(name: "pros", expectedVersion: nil), to: "production", by: admin, reason: nil)
            }
            #expect(error.kind == .conflict)
            let served = try await store.state(of: "production").servedDocument
            #expect(served["$evaluators"]?["pros"] != nil)
            let document = try FlagDocument(json: served)
            #expect(document.resolve("summary", context: EvaluationContext(attributes: ["plan": "pro"])).value == true)
        }
    }

    @Test(arguments: StoreBackend.configured) func importReplacesTheEnvironmentAndKeepsVersions(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            _ = try await store.apply(.createFlag(key: "summary", definition: Self.summary), to: "production", by: admin, reason: nil)
            let document: JSONValue = [
                "flags": ["summary": Self.summary, "color": ["state": "ENABLED", "variants": ["red": "red"], "defaultVariant": "red"]],
                "metadata": ["team": "ai"],
            ]
            let record = try await store.apply(.replaceDocument(document, strictness: .authoring), to: "production", by: admin, reason: nil)
            guard case .document = record.payload else {
                Issue.record("an import must carry the whole document")
                return
            }
            let state = try await store.state(of: "production")
            #expect(state.flags["summary"]?.version == 1)
            #expect(state.flags["color"]?.version == 1)
            #expect(state.writtenDocument == document)
        }
    }

    @Test(arguments: StoreBackend.configured) func staleFlagsLeaveOutPermanentAndTargetedFlags(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            var permanent = Self.summary.objectValue!
            permanent["targeting"] = nil
            permanent["metadata"] = ["permanent": true]
            var plain = permanent
            plain["metadata"] = nil
            _ = try await store.apply(.createFlag(key: "targeted", definition: Self.summary), to: "production", by: admin, reason: nil)
            _ = try await store.apply(.createFlag(key: "permanent", definition: .object(permanent)), to: "production", by: admin, reason: nil)
            _ = try await store.apply(.createFlag(key: "plain", definition: .object(plain)), to: "production", by: admin, reason: nil)
            _ = try await store.apply(.createFlag(key: "switched-off", definition: Self.summary), to: "production", by: admin, reason: nil)
            _ = try await store.apply(.setEnabled(key: "switched-off", enabled: false), to: "production", by: admin, reason: nil)
            let state = try await store.state(of: "production")
            #expect(state.staleFlags(unchangedForDays: 30, now: Date().addingTimeInterval(31 * 86_400)).map(\.key) == ["plain", "switched-off"])
            #expect(state.staleFlags(unchangedForDays: 30, now: Date()).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.configured) func keysAreStoredAsHashesOnly(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            let issued = try await store.createAPIKey(APIKeyRequest(kind: .sdk, environment: nil, name: "web"), by: admin)
            #expect(issued.secret.hasPrefix("sy_sdk_"))
            #expect(issued.key.environment == "production")
            #expect(try await store.apiKey(secret: issued.secret)?.id == issued.key.id)
            #expect(try await store.apiKey(secret: issued.secret + "x") == nil)

            let stored = try await tested.keyHashes()
            #expect(stored.count == 1)
            #expect(stored[0] != issued.secret && !stored[0].contains(issued.secret))
            let dump = try await tested.auditText()
            #expect(!dump.contains(issued.secret))

            _ = try await store.revokeAPIKey(id: issued.key.id, by: admin)
            #expect(try await store.apiKey(secret: issued.secret) == nil)
            #expect(try await store.apiKeys().first?.revokedAt != nil)
        }
    }

    @Test(arguments: StoreBackend.configured) func aChosenAdminKeyIsStoredOnce(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            let request = APIKeyRequest(kind: .admin, environment: nil, name: "SWITCHYARD_ADMIN_KEY")
            let first = try await store.ensureAPIKey(secret: "sy_admin_chosen", request)
            let second = try await store.ensureAPIKey(secret: "sy_admin_chosen", request)
            #expect(first.id == second.id)
            #expect(try await store.apiKeys().count == 1)
            #expect(try await store.apiKey(secret: "sy_admin_chosen")?.kind == .admin)
        }
    }

}

@Suite struct GRDBFlagStoreTests {
    let admin = Author(id: "key_test", name: "tester")

    @Test func writesSurviveReopeningTheFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-\(UUID().uuidString).sqlite").path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        do {
            let store = try GRDBFlagStore.open(path: path, logger: StoreBackend.quietLogger)
            _ = try await store.apply(.createFlag(key: "summary", definition: FlagStoreTests.summary), to: "production", by: admin, reason: nil)
            _ = try await store.createEnvironment(named: "staging", by: admin)
        }
        let reopened = try GRDBFlagStore.open(path: path, logger: StoreBackend.quietLogger)
        #expect(try await reopened.environments().map(\.name) == ["production", "staging"])
        #expect(try await reopened.state(of: "production").flags["summary"]?.definition == FlagStoreTests.summary)
    }
}
