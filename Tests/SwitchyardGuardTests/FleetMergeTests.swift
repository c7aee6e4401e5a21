import Testing

@testable import SwitchyardGuard

/// What a server summing several servers' aggregates relies on: unit totals merge as if one server
/// had seen every event, and buckets and partial minutes can be set to a sum.
@Suite struct FleetMergeTests {
    static let start = AggregationTests.start

    static func exposure(_ unit: String, _ variant: String, at offset: Duration = .zero) -> GuardEvent {
        .exposure(ExposureEvent(flag: "ai", variant: variant, reason: "SPLIT", unitKey: unit, timestamp: start + offset))
    }

    @Test func unitTotalsFromTwoServersAddUpAsOneServerWouldCountThem() {
        var one = Aggregator()
        var left = Aggregator()
        var right = Aggregator()
        let first: [GuardEvent] = [Self.exposure("u", "on"), AggregationTests.output("o1", unit: "u", at: .seconds(1), error: true)]
        let second: [GuardEvent] = [AggregationTests.output("o2", unit: "u", at: .seconds(2), chars: 300)]
        one.add(contentsOf: first + second)
        left.add(contentsOf: first)
        right.add(contentsOf: second)
        var merged = left.unit("u", of: "ai")!
        merged.merge(right.unit("u", of: "ai")!)
        #expect(merged == one.unit("u", of: "ai"))
    }

    @Test func aUnitSeenWithDifferentVariantsOnTwoServersIsMultiplyExposed() {
        var left = Aggregator()
        var right = Aggregator()
        left.add(Self.exposure("u", "on"))
        right.add(Self.exposure("u", "off"))
        var merged = left.unit("u", of: "ai")!
        merged.merge(right.unit("u", of: "ai")!)
        #expect(merged.isMultiplyExposed)
        #expect(merged.exposures == 2)
    }

    @Test func aCarriedOverUnitTakesTheVariantItIsSeenWithInTheNewPeriod() {
        var old = Aggregator()
        var current = Aggregator()
        old.add(contentsOf: [Self.exposure("u", "off"), AggregationTests.output("o1", unit: "u", variant: "off", at: .seconds(1))])
        current.add(AggregationTests.output("o2", unit: "u", at: .seconds(2)))
        var merged = old.unit("u", of: "ai")!.carriedOver
        merged.merge(current.unit("u", of: "ai")!)
        #expect(merged.variant == "on")
        #expect(!merged.isMultiplyExposed)
        #expect(merged.outputs == 1, "the earlier period's output is not carried over")
        #expect(merged.exposures == 1)
    }

    @Test func aPartialMinuteBuiltFromSumsAnswersTheSums() {
        var partial = PartialMinute(flag: "ai", since: Self.start + .seconds(10))
        partial.add(contentsOf: [
            AggregationTests.output("o1", unit: "u", at: .seconds(5), error: true),
            AggregationTests.output("o2", unit: "u", at: .seconds(20), error: true),
        ])
        let rebuilt = PartialMinute(flag: "ai", since: partial.since, totals: partial.totalsByVariant)
        #expect(rebuilt.totals(variant: "on") == partial.totals(variant: "on"))
        #expect(rebuilt.totals(variant: "on").errors == 1, "only the output after the instant")
    }

    @Test func aBucketSetToASumReplacesWhatItHeld() {
        var aggregator = Aggregator()
        aggregator.add(AggregationTests.output("o1", unit: "u", at: .seconds(1)))
        let key = ArmKey(flag: "ai", variant: "on")
        var sum = aggregator.totals(for: key, minute: Self.start.minute)!
        sum.merge(sum)
        aggregator.replace(sum, for: key, minute: Self.start.minute)
        #expect(aggregator.totals(for: key, minute: Self.start.minute)?.outputs == 2)
        aggregator.replace(nil, for: key, minute: Self.start.minute)
        #expect(!aggregator.holds(key))
    }
}
