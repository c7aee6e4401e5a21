import GRDB
import Logging
import SwitchyardCore
import SwitchyardStore
import Testing

@Suite struct GuardrailStoreTests {
    let store: GRDBFlagStore<DatabaseQueue>
    let admin = Author(id: "key_test", name: "tester")

    init() throws {
        store = try GRDBFlagStore(try DatabaseQueue(), logger: GRDBFlagStoreTests.quietLogger)
    }

    @Test func aBatchIdIsRecordedOnceWithItsAggregates() async throws {
        let minute = AggregateMinuteRow(flag: "ai", variant: "on", segment: nil, minute: 100, totals: ["outputs": 1])
        let unit = AggregateUnitRow(flag: "ai", unitKey: "u-1", totals: ["outputs": 1])
        #expect(try await store.recordEventBatch("b-1", in: "production", minutes: [minute], units: [unit]))
        var changed = minute
        changed.totals = ["outputs": 99]
        #expect(try await store.recordEventBatch("b-1", in: "production", minutes: [changed], units: []) == false)
        let stored = try await store.aggregates(in: "production", fromMinute: 0)
        #expect(stored.minutes == [minute])
        #expect(stored.units == [unit])
    }

    @Test func segmentsAreKeptApartAndOldMinutesDropped() async throws {
        let rows = [
            AggregateMinuteRow(flag: "ai", variant: "on", segment: "beta", minute: 200, totals: ["outputs": 2]),
            AggregateMinuteRow(flag: "ai", variant: "on", segment: nil, minute: 200, totals: ["outputs": 3]),
            AggregateMinuteRow(flag: "ai", variant: "on", segment: nil, minute: 50, totals: ["outputs": 4]),
        ]
        _ = try await store.recordEventBatch("b-2", in: "production", minutes: rows, units: [])
        let stored = try await store.aggregates(in: "production", fromMinute: 100)
        #expect(Set(stored.minutes.map(\.segment)) == ["beta", nil])
        #expect(stored.minutes.allSatisfy { $0.minute == 200 })
        #expect(try await store.aggregates(in: "production", fromMinute: 0).minutes.count == 2)
    }

    @Test func killRulesAndTheirTripsAreStoredAndAudited() async throws {
        let rule: JSONValue = ["metric": "errorRate", "comparison": ">", "threshold": 0.05, "window": "15m", "minSamples": 50]
        let stored = try await store.replaceKillRules(of: "ai", in: "production", with: [rule], armedAt: 1_000, by: admin)
        #expect(stored.map(\.position) == [0])
        try await store.recordTrip(
            RuleTrip(at: 2_000, details: ["samples": 60]), of: "ai", position: 0, in: "production", rearmedAt: nil, by: .system, action: "rule.trip",
            reason: "tripped")
        #expect(try await store.killRules(in: "production").first?.trip == RuleTrip(at: 2_000, details: ["samples": 60]))
        try await store.recordTrip(nil, of: "ai", position: 0, in: "production", rearmedAt: 3_000, by: .system, action: "rule.rearm", reason: "unkilled")
        let rearmed = try #require(try await store.killRules(in: "production").first)
        #expect(rearmed.trip == nil)
        #expect(rearmed.armedAt == 3_000)
        let actions = try await store.auditEntries(in: "production", flag: "ai", limit: 10).map(\.action)
        #expect(actions == ["rule.rearm", "rule.trip", "rules.put"])
    }

    @Test func aRolloutIsStoredWithAnAuditedTransition() async throws {
        let rollout = StoredRollout(environment: "production", flag: "ai", plan: ["flag": "ai"], state: ["phase": "running"])
        try await store.saveRollout(rollout, by: admin, action: "rollout.started", details: ["kind": "started"], reason: "started")
        #expect(try await store.rollouts(in: "production") == [rollout])
        let entry = try #require(try await store.auditEntries(in: "production", flag: "ai", limit: 1).first)
        #expect(entry.action == "rollout.started")
        #expect(entry.after == ["kind": "started"])
        await #expect(throws: StoreError.self) {
            try await store.saveRollout(
                StoredRollout(environment: "staging", flag: "ai", plan: [:], state: [:]), by: admin, action: "rollout.started", details: [:], reason: "")
        }
    }
}
