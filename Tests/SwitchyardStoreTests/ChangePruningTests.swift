import Foundation
import GRDB
import SwitchyardCore
import SwitchyardStore
import Testing

@Suite struct ChangePruningTests {
    let store: GRDBFlagStore<DatabaseQueue>
    let queue: DatabaseQueue
    let admin = Author(id: "key_test", name: "tester")
    let now = Date()

    init() throws {
        queue = try DatabaseQueue()
        store = try GRDBFlagStore(queue, logger: GRDBFlagStoreTests.quietLogger)
    }

    /// Six changes to one flag in production, the first four dated 40 days ago; their versions.
    private func sixChanges(in environment: String = "production") async throws -> [Int64] {
        let created = try await store.apply(
            .createFlag(key: "summary", definition: GRDBFlagStoreTests.summary), to: environment, by: admin, reason: nil)
        var versions = [created.version]
        for enabled in [false, true, false, true, false] {
            versions.append(try await store.apply(.setEnabled(key: "summary", enabled: enabled), to: environment, by: admin, reason: nil).version)
        }
        let fourth = versions[3]
        try await queue.write { db in
            try db.execute(sql: "UPDATE change SET at = ? WHERE version <= ?", arguments: [now.addingTimeInterval(-40 * 86_400), fourth])
        }
        return versions
    }

    private func kept(in environment: String = "production") async throws -> [Int64] {
        try await store.changes(in: environment, after: 0, limit: 100).map(\.version)
    }

    @Test func pruningKeepsTheNewestChangesAndEverythingRecent() async throws {
        let versions = try await sixChanges()
        let thirtyDaysAgo = now.addingTimeInterval(-30 * 86_400)

        // The newest three are kept although the oldest of them is 40 days old.
        #expect(try await store.pruneChanges(keepingNewest: 3, before: thirtyDaysAgo) == 3)
        #expect(try await kept() == Array(versions[3...]))
        #expect(try await store.changesPrunedThrough(in: "production") == versions[2])

        // The recent changes are kept although they are beyond the newest one.
        #expect(try await store.pruneChanges(keepingNewest: 1, before: thirtyDaysAgo) == 1)
        #expect(try await kept() == Array(versions[4...]))
        #expect(try await store.changesPrunedThrough(in: "production") == versions[3])

        // Nothing left to prune.
        #expect(try await store.pruneChanges(keepingNewest: 1, before: thirtyDaysAgo) == 0)
        #expect(try await store.changesPrunedThrough(in: "production") == versions[3])
    }

    @Test func theNewestChangeOfEveryEnvironmentIsNeverPruned() async throws {
        _ = try await store.createEnvironment(named: "staging", by: admin)
        let production = try await sixChanges()
        let staging = try await sixChanges(in: "staging")

        #expect(try await store.pruneChanges(keepingNewest: 1, before: .distantFuture) == 10)
        #expect(try await kept() == [production[5]])
        #expect(try await kept(in: "staging") == [staging[5]])
        #expect(try await store.state(of: "production").version == production[5])
        #expect(try await store.state(of: "staging").version == staging[5])
        #expect(try await store.changesPrunedThrough(in: "production") == production[4])
        #expect(try await store.changesPrunedThrough(in: "staging") == staging[4])

        // Versions are never reused: the next change comes after every pruned one.
        let next = try await store.apply(.setEnabled(key: "summary", enabled: true), to: "production", by: admin, reason: nil)
        #expect(next.version > staging[5])
    }

    @Test func pruningLeavesTheAuditLogAlone() async throws {
        _ = try await sixChanges()
        let before = try await store.auditEntries(in: nil, flag: nil, limit: 100)
        #expect(before.count == 6)
        #expect(try await store.pruneChanges(keepingNewest: 1, before: .distantFuture) == 5)
        #expect(try await store.auditEntries(in: nil, flag: nil, limit: 100) == before)
    }

    @Test func aFeedNeverPrunedIsCompleteFromTheStart() async throws {
        #expect(try await store.changesPrunedThrough(in: "production") == 0)
        _ = try await sixChanges()
        #expect(try await store.pruneChanges(keepingNewest: 10, before: .distantFuture) == 0)
        #expect(try await store.changesPrunedThrough(in: "production") == 0)
        await #expect(throws: StoreError.self) { try await store.changesPrunedThrough(in: "nowhere") }
    }

    @Test func theNewestAuditedChangeOfAFlagOutlivesItsPrunedFeedRow() async throws {
        let flag: JSONValue = ["state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off"]
        _ = try await store.apply(.createFlag(key: "summary", definition: flag), to: "production", by: admin, reason: nil)
        let kill = try await store.apply(.kill(key: "summary"), to: "production", by: admin, reason: "drill")
        _ = try await store.apply(.createFlag(key: "other", definition: flag), to: "production", by: admin, reason: nil)
        // A later entry about the flag that changed nothing clients are served (a kill rule, say).
        try await queue.write { db in
            try db.execute(
                sql:
                    "INSERT INTO audit (environment, flag_key, action, author_id, author_name, at) VALUES ('production', 'summary', 'rule.set', 'k', 'n', ?)",
                arguments: [Date()])
        }
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
