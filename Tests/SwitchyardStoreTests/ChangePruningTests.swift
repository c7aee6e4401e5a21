import Foundation
import SwitchyardCore
import SwitchyardStore
import Testing

@Suite struct ChangePruningTests {
    let admin = Author(id: "key_test", name: "tester")
    let now = Date()

    /// Six changes to one flag in production, the first four dated 40 days ago; their versions.
    private func sixChanges(_ tested: TestStore, in environment: String = "production") async throws -> [Int64] {
        let store = tested.store
        let created = try await store.apply(.createFlag(key: "summary", definition: FlagStoreTests.summary), to: environment, by: admin, reason: nil)
        var versions = [created.version]
        for enabled in [false, true, false, true, false] {
            versions.append(try await store.apply(.setEnabled(key: "summary", enabled: enabled), to: environment, by: admin, reason: nil).version)
        }
        let fourth = versions[3]
        try await tested.backdateChanges(fourth, now.addingTimeInterval(-40 * 86_400))
        return versions
    }

    private func kept(_ store: any FlagStore, in environment: String = "production") async throws -> [Int64] {
        try await store.changes(in: environment, after: 0, limit: 100).map(\.version)
    }

    @Test(arguments: StoreBackend.configured) func pruningKeepsTheNewestChangesAndEverythingRecent(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            let versions = try await sixChanges(tested)
            let thirtyDaysAgo = now.addingTimeInterval(-30 * 86_400)

            // The newest three are kept although the oldest of them is 40 days old.
            #expect(try await store.pruneChanges(keepingNewest: 3, before: thirtyDaysAgo) == 3)
            #expect(try await kept(store) == Array(versions[3...]))
            #expect(try await store.changesPrunedThrough(in: "production") == versions[2])

            // The recent changes are kept although they are beyond the newest one.
            #expect(try await store.pruneChanges(keepingNewest: 1, before: thirtyDaysAgo) == 1)
            #expect(try await kept(store) == Array(versions[4...]))
            #expect(try await store.changesPrunedThrough(in: "production") == versions[3])

            // Nothing left to prune.
            #expect(try await store.pruneChanges(keepingNewest: 1, before: thirtyDaysAgo) == 0)
            #expect(try await store.changesPrunedThrough(in: "production") == versions[3])
        }
    }

    @Test(arguments: StoreBackend.configured) func theNewestChangeOfEveryEnvironmentIsNeverPruned(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            _ = try await store.createEnvironment(named: "staging", by: admin)
            let production = try await sixChanges(tested)
            let staging = try await sixChanges(tested, in: "staging")

            #expect(try await store.pruneChanges(keepingNewest: 1, before: .distantFuture) == 10)
            #expect(try await kept(store) == [production[5]])
            #expect(try await kept(store, in: "staging") == [staging[5]])
            #expect(try await store.state(of: "production").version == production[5])
            #expect(try await store.state(of: "staging").version == staging[5])
            #expect(try await store.changesPrunedThrough(in: "production") == production[4])
            #expect(try await store.changesPrunedThrough(in: "staging") == staging[4])

            // Versions are never reused: the next change comes after every pruned one.
            let next = try await store.apply(.setEnabled(key: "summary", enabled: true), to: "production", by: admin, reason: nil)
            #expect(next.version > staging[5])
        }
    }

    @Test(arguments: StoreBackend.configured) func pruningLeavesTheAuditLogAlone(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            _ = try await sixChanges(tested)
            let before = try await store.auditEntries(in: nil, flag: nil, limit: 100)
            #expect(before.count == 6)
            #expect(try await store.pruneChanges(keepingNewest: 1, before: .distantFuture) == 5)
            #expect(try await store.auditEntries(in: nil, flag: nil, limit: 100) == before)
        }
    }

    @Test(arguments: StoreBackend.configured) func aFeedNeverPrunedIsCompleteFromTheStart(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            #expect(try await store.changesPrunedThrough(in: "production") == 0)
            _ = try await sixChanges(tested)
            #expect(try await store.pruneChanges(keepingNewest: 10, before: .distantFuture) == 0)
            #expect(try await store.changesPrunedThrough(in: "production") == 0)
            await #expect(throws: StoreError.self) { try await store.changesPrunedThrough(in: "nowhere") }
        }
    }

    @Test(arguments: StoreBackend.configured) func theNewestAuditedChangeOfAFlagOutlivesItsPrunedFeedRow(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            let flag: JSONValue = ["state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off"]
            _ = try await store.apply(.createFlag(key: "summary", definition: flag), to: "production", by: admin, reason: nil)
            let kill = try await store.apply(.kill(key: "summary"), to: "production", by: admin, reason: "drill")
            _ = try await store.apply(.createFlag(key: "other", definition: flag), to: "production", by: admin, reason: nil)
            // A later entry about the flag that changed nothing clients are served (a kill rule, say).
            try await tested.auditWithoutVersion("summary", "production")
            #expect(try await store.pruneChanges(keepingNewest: 1, before: .distantFuture) == 2)
            #expect(try await store.latestChange(of: "summary", in: "production") == nil)

            let audited = try #require(try await store.latestAuditedChange(of: "summary", in: "production"))
            #expect(audited.action == "flag.kill")
            #expect(audited.version == kill.version)
            #expect(abs(audited.at.timeIntervalSince(kill.at)) < 0.001)
            #expect(try await store.latestAuditedChange(of: "summary", in: "staging") == nil)
            #expect(try await store.latestAuditedChange(of: "nope", in: "production") == nil)
        }
    }
}
