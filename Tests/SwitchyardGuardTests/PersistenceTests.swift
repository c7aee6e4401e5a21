import SwitchyardCore
import Testing

@testable import SwitchyardGuard

/// What the store persists (minute totals, unit totals) reads back to the same analysis.
@Suite struct PersistenceTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_732_500_000_000)

    @Test func aggregatesRestoredFromJSONGiveTheSameReportAndWindows() throws {
        var traffic = SimulatedTraffic(seed: 31, behaviours: ["off": VariantBehaviour(), "on": VariantBehaviour(errorRate: 0.06)])
        var original = Aggregator()
        for index in 0..<3000 {
            traffic.unit("u-\(index)", variant: index % 2 == 0 ? "off" : "on", at: Self.start + .seconds(Int64(index)), into: &original)
        }
        var restored = Aggregator()
        for key in original.armKeys {
            for (minute, totals) in original.minuteTotals(for: key) {
                let stored = try JSONValue(parsing: totals.json.serialized())
                restored.restore(try ArmTotals(json: stored), for: key, minute: minute)
            }
        }
        for (unitKey, unit) in original.units(of: "ai") {
            restored.restore(try UnitTotals(json: JSONValue(parsing: unit.json.serialized())), unitKey: unitKey, flag: "ai")
        }
        let now = Self.start + .seconds(3000)
        for variant in ["off", "on"] {
            let before = original.window(flag: "ai", variant: variant, length: .seconds(3600), endingAt: now)
            let after = restored.window(flag: "ai", variant: variant, length: .seconds(3600), endingAt: now)
            #expect(after.outputs == before.outputs && after.errors == before.errors)
            #expect(after.latencySketch == before.latencySketch && after.charsSketch == before.charsSketch)
            #expect(abs(after.chars.sumOfLogs - before.chars.sumOfLogs) < 1e-6)
        }
        let before = VariantReport(original, flag: "ai", control: "off", weights: ["off": 1, "on": 1], now: now)
        let after = VariantReport(restored, flag: "ai", control: "off", weights: ["off": 1, "on": 1], now: now)
        #expect(after.treatments.first?.comparisons.map(\.verdict) == before.treatments.first?.comparisons.map(\.verdict))
        #expect(after.arms.map(\.units) == before.arms.map(\.units))
    }

    @Test func rejectsDamagedTotals() {
        do {
            _ = try ArmTotals(json: ["exposures": -1])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "stored aggregate: totals.exposures must be a non-negative integer")
        }
    }
}
