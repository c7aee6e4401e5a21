import Foundation
import Logging
import SwitchyardCore
import SwitchyardPostgres
import SwitchyardStore
import SwitchyardTestSupport
import Testing

@testable import switchyard

/// `switchyard migrate --from FILE --to URL`: everything an SQLite database holds, in PostgreSQL.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipMessage)))
struct MigrateCommandTests {
    let admin = Author(id: "key_test", name: "tester")
    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return logger
    }()

    @Test func everythingIsCopiedWithItsVersionsAndTheCountsAreCompared() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-migrate-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let sqlite = try GRDBFlagStore.open(path: path, logger: Self.logger)
        let flag: JSONValue = ["state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off", "safeVariant": "off"]
        _ = try await sqlite.apply(.createSegment(name: "pros", rule: ["==": [["var": "plan"], "pro"]]), to: "production", by: admin, reason: nil)
        _ = try await sqlite.apply(.createFlag(key: "summary", definition: flag), to: "production", by: admin, reason: "launch")
        _ = try await sqlite.apply(.kill(key: "summary"), to: "production", by: admin, reason: "drill")
        _ = try await sqlite.createEnvironment(named: "staging", by: admin)
        _ = try await sqlite.apply(.createFlag(key: "summary", definition: flag), to: "staging", by: admin, reason: nil)
        let key = try await sqlite.createAPIKey(APIKeyRequest(kind: .admin, environment: nil, name: "ops"), by: admin)
        let rule: JSONValue = ["metric": "errorRate", "comparison": ">", "threshold": 0.05, "window": "15m"]
        _ = try await sqlite.replaceKillRules(of: "summary", in: "production", with: [rule, rule], armedAt: 1_000, by: admin)
        try await sqlite.saveCUSUMStates(
            [KillRuleCUSUMRow(flag: "summary", position: 1, armedAt: 1_000, variant: "on", state: ["statistic": 1.5])], in: "production")
        try await sqlite.recordTrip(
            RuleTrip(at: 2_000, details: ["samples": 60]), of: "summary", position: 0, in: "production", rearmedAt: nil, by: .system,
            action: "rule.trip", reason: "tripped")
        try await sqlite.saveRollout(
            StoredRollout(environment: "production", flag: "summary", plan: ["flag": "summary"], state: ["phase": "running"]), by: admin,
            action: "rollout.started", details: [:], reason: "started")
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        _ = try await sqlite.recordEventBatch(
            "b-1", in: "production",
            minutes: [AggregateMinuteRow(flag: "summary", variant: "on", segment: "pros", minute: now / 60_000, totals: ["outputs": 3])],
            units: [AggregateUnitRow(flag: "summary", unitKey: "u-1", totals: ["outputs": 3])],
            outputs: [RememberedOutputRow(outputId: "o-1", flag: "summary", variant: "on", segment: nil, unitKey: "u-1", at: now)],
            keepingOutputs: 10)
        let source = try await sqlite.contents()

        try await TestPostgres.withDatabase { url in
            let target = "postgres://\(url.username):secret-pa55@\(url.host):\(url.port)/\(url.database)?sslmode=disable"
            let result = try await CommandProcess.run(["migrate", "--from", path, "--to", target])
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.output.contains("every count matches"))
            #expect(result.output.contains("audit              9           9"))
            #expect(!result.output.contains("secret-pa55") && !result.errors.contains("secret-pa55"))

            try await PostgresFlagStore.withStore(url: url, logger: Self.logger) { postgres in
                for environment in ["production", "staging"] {
                    #expect(try await postgres.state(of: environment) == sqlite.state(of: environment))
                    #expect(
                        try await postgres.changes(in: environment, after: 0, limit: 100) == sqlite.changes(in: environment, after: 0, limit: 100))
                    #expect(try await postgres.killRules(in: environment) == sqlite.killRules(in: environment))
                    #expect(try await postgres.rollouts(in: environment) == sqlite.rollouts(in: environment))
                }
                #expect(try await postgres.auditEntries(in: nil, flag: nil, limit: 100) == sqlite.auditEntries(in: nil, flag: nil, limit: 100))
                #expect(try await postgres.apiKeys() == sqlite.apiKeys())
                #expect(try await postgres.apiKey(secret: key.secret)?.id == key.key.id)
                // The copied aggregates belong to the replica named '' and count in the fleet's sum.
                let original = try await sqlite.aggregates(in: "production", fromMinute: 0)
                let copied = try await postgres.fleetAggregates(in: "production", changedSince: nil, fromMinute: 0)
                let minuteKey = { (row: AggregateMinuteRow) in "\(row.flag) \(row.variant) \(row.segment ?? "") \(row.minute)" }
                #expect(!original.minutes.isEmpty && !original.units.isEmpty)
                #expect(
                    copied.minutes.map(\.row).sorted { minuteKey($0) < minuteKey($1) } == original.minutes.sorted { minuteKey($0) < minuteKey($1) })
                let unitKey = { (row: AggregateUnitRow) in "\(row.flag) \(row.unitKey)" }
                #expect(copied.units.map(\.row).sorted { unitKey($0) < unitKey($1) } == original.units.sorted { unitKey($0) < unitKey($1) })
                #expect(Set(copied.minutes.map(\.replica) + copied.units.map(\.replica)) == [""])
                #expect(try await postgres.aggregates(in: "production", fromMinute: 0).outputs == original.outputs)
                #expect(try await postgres.recentEventBatchIds(in: "production", limit: 10) == ["b-1"])
                // Versions and audit ids go on after the copied ones.
                let next = try await postgres.apply(.setEnabled(key: "summary", enabled: false), to: "staging", by: admin, reason: nil)
                #expect(next.version > source.changes.map(\.version).max() ?? 0)
                let newest = try #require(try await postgres.auditEntries(in: nil, flag: nil, limit: 1).first)
                #expect(newest.id > source.audit.map(\.id).max() ?? 0)
            }

            let again = try await CommandProcess.run(["migrate", "--from", path, "--to", target])
            #expect(again.status == 1)
            #expect(again.errors.contains("already holds data"))
            #expect(!again.errors.contains("secret-pa55"))
        }
    }

    @Test func aMissingSQLiteFileIsNamedAndNothingIsCreated() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString).sqlite").path
        let result = try await CommandProcess.run(["migrate", "--from", path, "--to", "postgres://u@127.0.0.1:1/db"])
        #expect(result.status == 1)
        #expect(result.errors.contains("no SQLite database at \(path)"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
