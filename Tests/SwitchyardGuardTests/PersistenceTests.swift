import SwitchyardCore
import SwitchyardTestSupport
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

    /// A minute of traffic as one batch: exposures and outputs of new units (some in a segment),
    /// follow-ups to outputs of earlier minutes (some long forgotten, some unknown), a breaker trip.
    static func batch(minute: Int, random: inout SeededRandom) -> [GuardEvent] {
        let at = start + .seconds(Int64(60 * minute))
        var events: [GuardEvent] = []
        for index in 0..<20 {
            let unit = "u-\(minute)-\(index)"
            let variant = random.chance(0.5) ? "on" : "off"
            let segment = index % 4 == 0 ? "beta" : nil
            events.append(.exposure(ExposureEvent(flag: "ai", variant: variant, reason: "SPLIT", unitKey: unit, timestamp: at, segment: segment)))
            let failed = random.chance(0.05)
            events.append(
                .output(
                    OutputEvent(
                        outputId: "o-\(minute)-\(index)", flag: "ai", variant: variant, unitKey: unit, timestamp: at + .seconds(1), model: "m",
                        chars: Int(random.logNormal(median: 900, sigma: 0.6)), words: 150, latencyMs: random.logNormal(median: 800, sigma: 0.4),
                        tokensIn: 200, tokensOut: 180, finishReason: failed ? .error : .stop)))
        }
        for _ in 0..<30 {
            let earlier = Int(random.uniform() * Double(minute + 1))
            let outputId = random.chance(0.05) ? "o-unknown" : "o-\(earlier)-\(Int(random.uniform() * 20))"
            let time = at + .seconds(30)
            switch Int(random.uniform() * 3) {
            case 0: events.append(.feedback(FeedbackEvent(outputId: outputId, positive: random.chance(0.7), timestamp: time)))
            case 1: events.append(.edit(EditEvent(outputId: outputId, editedLength: 800, editDistance: 40, timestamp: time)))
            default: events.append(.action(ActionEvent(outputId: outputId, name: "sent", timestamp: time)))
            }
        }
        if minute % 7 == 0 {
            events.append(.breakerTrip(BreakerTripEvent(flag: "ai", variant: "on", rule: "errorRate > 0.05 over 15m", detail: "", timestamp: at)))
        }
        return events
    }

    /// A store that writes exactly the changes the aggregator reports holds everything the
    /// aggregator holds: read back after a restart, it attributes later follow-ups (to outputs from
    /// before the restart) to the same arms and units, and forgets the same outputs.
    @Test func theReportedChangesAreEverythingARestartNeeds() throws {
        let options = Aggregator.Options(rememberedOutputs: 400)
        var random = SeededRandom(seed: 41)
        var stored = StoredChanges(options: options)
        var original = Aggregator(options: options)
        for minute in 0..<40 { stored.add(Self.batch(minute: minute, random: &random), to: &original) }

        var restarted = try stored.restored()
        let unattributedBefore = original.unattributedFollowUps
        for minute in 40..<60 {
            let events = Self.batch(minute: minute, random: &random)
            original.add(contentsOf: events)
            restarted.add(contentsOf: events)
        }

        #expect(Set(restarted.armKeys) == Set(original.armKeys))
        for key in original.armKeys {
            #expect(restarted.minuteTotals(for: key).map(\.totals) == original.minuteTotals(for: key).map(\.totals), "\(key)")
            #expect(restarted.minuteTotals(for: key).map(\.minute) == original.minuteTotals(for: key).map(\.minute), "\(key)")
        }
        #expect(restarted.units(of: "ai") == original.units(of: "ai"))
        #expect(restarted.unattributedFollowUps == original.unattributedFollowUps - unattributedBefore)
        #expect(original.units(of: "ai").values.contains { $0.negativeFeedback > 0 && $0.edits > 0 })
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
