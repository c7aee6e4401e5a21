import Logging
import SwitchyardCore
import SwitchyardStore
import Testing

@Suite struct GuardrailStoreTests {
    let admin = Author(id: "key_test", name: "tester")

    @Test(arguments: StoreBackend.configured) func aBatchIdIsRecordedOnceWithItsAggregates(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            let minute = AggregateMinuteRow(flag: "ai", variant: "on", segment: nil, minute: 100, totals: ["outputs": 1])
            let unit = AggregateUnitRow(flag: "ai", unitKey: "u-1", totals: ["outputs": 1])
            let output = RememberedOutputRow(outputId: "o-1", flag: "ai", variant: "on", segment: nil, unitKey: "u-1", at: 6_000_000)
            #expect(
                try await store.recordEventBatch("b-1", in: "production", minutes: [minute], units: [unit], outputs: [output], keepingOutputs: 10))
            var changed = minute
            changed.totals = ["outputs": 99]
            let other = RememberedOutputRow(outputId: "o-2", flag: "ai", variant: "on", segment: nil, unitKey: "u-1", at: 6_000_000)
            #expect(
                try await store.recordEventBatch("b-1", in: "production", minutes: [changed], units: [], outputs: [other], keepingOutputs: 10)
                    == false)
            #expect(try await store.recordEventBatch("b-2", in: "production", minutes: [], units: [], outputs: [], keepingOutputs: 10))
            #expect(try await store.recentEventBatchIds(in: "production", limit: 10) == ["b-1", "b-2"])
            #expect(try await store.recentEventBatchIds(in: "production", limit: 1) == ["b-2"])
            let stored = try await store.aggregates(in: "production", fromMinute: 0)
            #expect(stored.minutes == [minute])
            #expect(stored.units == [unit])
            #expect(stored.outputs == [output])
        }
    }

    @Test(arguments: StoreBackend.configured) func segmentsAreKeptApartAndOldMinutesDropped(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            let rows = [
                AggregateMinuteRow(flag: "ai", variant: "on", segment: "beta", minute: 200, totals: ["outputs": 2]),
                AggregateMinuteRow(flag: "ai", variant: "on", segment: nil, minute: 200, totals: ["outputs": 3]),
                AggregateMinuteRow(flag: "ai", variant: "on", segment: nil, minute: 50, totals: ["outputs": 4]),
            ]
            _ = try await store.recordEventBatch("b-2", in: "production", minutes: rows, units: [], outputs: [], keepingOutputs: 10)
            let stored = try await store.aggregates(in: "production", fromMinute: 100)
            #expect(Set(stored.minutes.map(\.segment)) == ["beta", nil])
            #expect(stored.minutes.allSatisfy { $0.minute == 200 })
            #expect(try await store.aggregates(in: "production", fromMinute: 0).minutes.count == 3, "reading deletes nothing")
            try await store.pruneAggregates(in: "production", before: 100)
            #expect(try await store.aggregates(in: "production", fromMinute: 0).minutes.count == 2)
        }
    }

    /// The store keeps the newest outputs in the order they were remembered, as the aggregator
    /// does, per environment, and forgets those older than the retention at start.
    @Test(arguments: StoreBackend.configured) func rememberedOutputsKeepTheNewestInOrder(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            func output(_ id: String, minute: Int64, segment: String? = nil) -> RememberedOutputRow {
                RememberedOutputRow(outputId: id, flag: "ai", variant: "on", segment: segment, unitKey: "u-\(id)", at: minute * 60_000 + 5)
            }
            _ = try await store.createEnvironment(named: "staging", by: admin)
            let first = [output("a", minute: 100), output("b", minute: 200, segment: "beta"), output("c", minute: 300)]
            #expect(try await store.recordEventBatch("b-1", in: "production", minutes: [], units: [], outputs: first, keepingOutputs: 4))
            #expect(
                try await store.recordEventBatch("b-1", in: "staging", minutes: [], units: [], outputs: [output("s", minute: 300)], keepingOutputs: 4)
            )
            let second = [output("d", minute: 300), output("f", minute: 400), output("e", minute: 400)]
            #expect(try await store.recordEventBatch("b-2", in: "production", minutes: [], units: [], outputs: second, keepingOutputs: 4))
            let kept = try await store.aggregates(in: "production", fromMinute: 0).outputs
            #expect(kept.map(\.outputId) == ["c", "d", "f", "e"])
            #expect(kept[2] == output("f", minute: 400))
            #expect(try await store.aggregates(in: "production", fromMinute: 350).outputs.map(\.outputId) == ["f", "e"])
            #expect(try await store.aggregates(in: "production", fromMinute: 0).outputs.count == 4, "reading deletes nothing")
            try await store.pruneAggregates(in: "production", before: 350)
            #expect(try await store.aggregates(in: "production", fromMinute: 0).outputs.map(\.outputId) == ["f", "e"], "expired outputs are deleted")
            #expect(try await store.aggregates(in: "staging", fromMinute: 0).outputs.map(\.outputId) == ["s"])
        }
    }

    @Test(arguments: StoreBackend.configured) func cusumStatesBelongToTheArmingTheyWereComputedIn(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            let rule: JSONValue = ["metric": "errorRate", "comparison": ">", "threshold": 0.05, "window": "15m", "baseline": 0.02]
            _ = try await store.replaceKillRules(of: "ai", in: "production", with: [rule], armedAt: 1_000, by: admin)
            let state: JSONValue = ["statistic": 4.5, "minute": 20, "events": 1, "trials": 9]
            try await store.saveCUSUMStates(
                [
                    KillRuleCUSUMRow(flag: "ai", position: 0, armedAt: 1_000, variant: "on", state: state),
                    KillRuleCUSUMRow(flag: "ai", position: 0, armedAt: 500, variant: "beta", state: state),
                    KillRuleCUSUMRow(flag: "ai", position: 1, armedAt: 1_000, variant: "on", state: state),
                ], in: "production")
            #expect(try await store.killRules(in: "production").map(\.cusum) == [["on": state]])

            try await store.recordTrip(
                RuleTrip(at: 2_000, details: [:]), of: "ai", position: 0, in: "production", rearmedAt: nil, by: .system, action: "rule.trip",
                reason: "")
            try await store.saveCUSUMStates(
                [KillRuleCUSUMRow(flag: "ai", position: 0, armedAt: 1_000, variant: "on", state: state)], in: "production")
            #expect(try await store.killRules(in: "production").first?.cusum == [:], "a trip ends the progress, and a tripped rule stores none")

            try await store.recordTrip(nil, of: "ai", position: 0, in: "production", rearmedAt: 3_000, by: .system, action: "rule.rearm", reason: "")
            try await store.saveCUSUMStates(
                [KillRuleCUSUMRow(flag: "ai", position: 0, armedAt: 3_000, variant: "on", state: state)], in: "production")
            #expect(try await store.killRules(in: "production").first?.cusum == ["on": state])
            _ = try await store.replaceKillRules(of: "ai", in: "production", with: [rule], armedAt: 3_000, by: admin)
            #expect(try await store.killRules(in: "production").first?.cusum == [:], "new rules start from zero")
        }
    }

    @Test(arguments: StoreBackend.configured) func killRulesAndTheirTripsAreStoredAndAudited(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            let rule: JSONValue = ["metric": "errorRate", "comparison": ">", "threshold": 0.05, "window": "15m", "minSamples": 50]
            let stored = try await store.replaceKillRules(of: "ai", in: "production", with: [rule], armedAt: 1_000, by: admin)
            #expect(stored.map(\.position) == [0])
            try await store.recordTrip(
                RuleTrip(at: 2_000, details: ["samples": 60]), of: "ai", position: 0, in: "production", rearmedAt: nil, by: .system,
                action: "rule.trip",
                reason: "tripped")
            #expect(try await store.killRules(in: "production").first?.trip == RuleTrip(at: 2_000, details: ["samples": 60]))
            try await store.recordTrip(
                nil, of: "ai", position: 0, in: "production", rearmedAt: 3_000, by: .system, action: "rule.rearm", reason: "unkilled")
            let rearmed = try #require(try await store.killRules(in: "production").first)
            #expect(rearmed.trip == nil)
            #expect(rearmed.armedAt == 3_000)
            let actions = try await store.auditEntries(in: "production", flag: "ai", limit: 10).map(\.action)
            #expect(actions == ["rule.rearm", "rule.trip", "rules.put"])
        }
    }

    @Test(arguments: StoreBackend.configured) func aRolloutIsStoredWithAnAuditedTransition(_ backend: StoreBackend) async throws {
        try await backend.withStore { tested in
            let store = tested.store
            let rollout = StoredRollout(environment: "production", flag: "ai", plan: ["flag": "ai"], state: ["phase": "running"])
            try await store.saveRollout(rollout, by: admin, action: "rollout.started", details: ["kind": "started"], reason: "started")
            #expect(try await store.rollouts(in: "production") == [rollout])
            let entry = try #require(try await store.auditEntries(in: "production", flag: "ai", limit: 1).first)
            #expect(entry.action == "rollout.started")
            #expect(entry.after == ["kind": "started"])
            await #expect(throws: StoreError.self) {
                try await store.saveRollout(
                    StoredRollout(environment: "staging", flag: "ai", plan: [:], state: [:]), by: admin, action: "rollout.started", details: [:],
                    reason: "")
            }
        }
    }
}
