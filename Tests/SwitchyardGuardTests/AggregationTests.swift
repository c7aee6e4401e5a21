import SwitchyardTestSupport
import Testing

@testable import SwitchyardGuard

@Suite struct AggregationTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_732_500_000_000)

    static func output(_ id: String, unit: String, variant: String = "on", at offset: Duration, chars: Int = 100, error: Bool = false) -> GuardEvent {
        .output(
            OutputEvent(
                outputId: id, flag: "ai", variant: variant, unitKey: unit, timestamp: start + offset, model: "m",
                chars: chars, words: chars / 5, latencyMs: 200, tokensIn: 10, tokensOut: 20,
                finishReason: error ? .error : .stop
            )
        )
    }

    @Test func sketchQuantilesAreWithinOnePercentOfTheTrueOnes() {
        var random = SeededRandom(seed: 7)
        var sketch = QuantileSketch()
        var values: [Double] = []
        for _ in 0..<20_000 {
            let value = random.logNormal(median: 800, sigma: 1.2)
            values.append(value)
            sketch.add(value)
        }
        values.sort()
        for q in [0.5, 0.95, 0.99] {
            let exact = values[Int(q * Double(values.count - 1))]
            let estimate = sketch.quantile(q)!
            #expect(abs(estimate - exact) / exact <= QuantileSketch.relativeAccuracy + 1e-9, "q = \(q)")
        }
        #expect(sketch.countAbove(values[18_000]) <= 2_000)
        #expect(sketch.countAbove(values[18_000]) >= 1_900)
    }

    @Test func mergedSketchesEqualOneSketchOfAllValues() {
        var left = QuantileSketch()
        var right = QuantileSketch()
        var both = QuantileSketch()
        for value in stride(from: 0.0, to: 5000, by: 3.7) {
            if Int(value) % 2 == 0 { left.add(value) } else { right.add(value) }
            both.add(value)
        }
        left.merge(right)
        #expect(left == both)
    }

    @Test func windowsAreSumsOfMinutes() {
        var aggregator = Aggregator()
        for minute in 0..<30 {
            for index in 0..<10 {
                aggregator.add(Self.output("o-\(minute)-\(index)", unit: "u-\(index)", at: .seconds(60 * minute + index), error: index == 0))
            }
        }
        let now = Self.start + .seconds(60 * 29 + 30)
        let window = aggregator.window(flag: "ai", variant: "on", length: .seconds(15 * 60), endingAt: now)
        #expect(window.outputs == 160)
        #expect(window.errors == 16)
        #expect(window.chars.mean == 100)
        var summed = ArmTotals()
        for (minute, totals) in aggregator.minuteTotals(for: ArmKey(flag: "ai", variant: "on")) where minute >= (now - .seconds(900)).minute {
            summed.merge(totals)
        }
        #expect(summed == window)
    }

    @Test func followUpsAreAttributedThroughTheirOutput() {
        var aggregator = Aggregator()
        aggregator.add(.exposure(ExposureEvent(flag: "ai", variant: "on", reason: "SPLIT", unitKey: "u-1", timestamp: Self.start)))
        aggregator.add(Self.output("o-1", unit: "u-1", at: .seconds(1)))
        aggregator.add(.feedback(FeedbackEvent(outputId: "o-1", positive: false, timestamp: Self.start + .seconds(2))))
        aggregator.add(.edit(EditEvent(outputId: "o-1", editedLength: 90, editDistance: 12, timestamp: Self.start + .seconds(3))))
        aggregator.add(.action(ActionEvent(outputId: "o-1", name: "sent", timestamp: Self.start + .seconds(4))))
        aggregator.add(.feedback(FeedbackEvent(outputId: "o-unknown", positive: true, timestamp: Self.start + .seconds(5))))
        let totals = aggregator.window(flag: "ai", variant: "on", length: .seconds(600), endingAt: Self.start + .seconds(10))
        #expect(totals.negativeFeedback == 1 && totals.positiveFeedback == 0)
        #expect(totals.edits == 1 && totals.editDistance == 12 && totals.actions == 1)
        #expect(aggregator.unattributedFollowUps == 1)
        let unit = aggregator.units(of: "ai")["u-1"]
        #expect(unit?.negativeFeedback == 1 && unit?.edits == 1 && unit?.actions == 1 && unit?.outputs == 1)
    }

    @Test func aUnitSeenInTwoVariantsIsMultiplyExposed() {
        var aggregator = Aggregator()
        aggregator.add(.exposure(ExposureEvent(flag: "ai", variant: "on", reason: "SPLIT", unitKey: "u-1", timestamp: Self.start)))
        aggregator.add(.exposure(ExposureEvent(flag: "ai", variant: "off", reason: "SPLIT", unitKey: "u-1", timestamp: Self.start)))
        aggregator.add(.exposure(ExposureEvent(flag: "ai", variant: "off", reason: "SPLIT", unitKey: "u-2", timestamp: Self.start)))
        let units = aggregator.units(of: "ai")
        #expect(units["u-1"]?.isMultiplyExposed == true && units["u-1"]?.variant == "on")
        #expect(units["u-2"]?.isMultiplyExposed == false)
    }

    @Test func minutesOlderThanTheRetentionAreDropped() {
        var aggregator = Aggregator(options: .init(retention: .seconds(3600)))
        aggregator.add(Self.output("o-1", unit: "u", at: .zero))
        aggregator.add(Self.output("o-2", unit: "u", at: .seconds(3 * 3600)))
        aggregator.add(Self.output("o-3", unit: "u", at: .seconds(10)))
        #expect(aggregator.minuteTotals(for: ArmKey(flag: "ai", variant: "on")).map(\.totals.outputs) == [1])
    }
}

@Suite struct AnalysisPeriodTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_732_500_000_000)

    static func output(_ id: String, unit: String, variant: String, at offset: Duration) -> GuardEvent {
        .output(
            OutputEvent(
                outputId: id, flag: "ai", variant: variant, unitKey: unit, timestamp: start + offset, model: "m", chars: 100, words: 20,
                latencyMs: 200, tokensIn: 10, tokensOut: 20, finishReason: .stop))
    }

    /// Clients deduplicate exposures, so after a stage change a returning unit may only send
    /// outputs; it still counts, in the variant it now gets, and moving is not multiple exposure.
    @Test func unitsCarriedIntoANewStageCountOnceTheyReturn() {
        var aggregator = Aggregator()
        for (unit, variant) in [("u-1", "off"), ("u-2", "off"), ("u-3", "on")] {
            aggregator.add(.exposure(ExposureEvent(flag: "ai", variant: variant, reason: "SPLIT", unitKey: unit, timestamp: Self.start)))
            aggregator.add(Self.output("\(unit)-a", unit: unit, variant: variant, at: .seconds(1)))
        }
        aggregator.startAnalysis(of: "ai")
        aggregator.add(Self.output("u-1-b", unit: "u-1", variant: "on", at: .seconds(3600)))
        aggregator.add(Self.output("u-3-b", unit: "u-3", variant: "on", at: .seconds(3600)))
        let units = aggregator.units(of: "ai")
        #expect(units["u-1"]?.variant == "on" && units["u-1"]?.isMultiplyExposed == false && units["u-1"]?.outputs == 1)
        #expect(units["u-2"]?.isActive == false)
        let report = VariantReport(aggregator, flag: "ai", control: "off", now: Self.start + .seconds(3600))
        #expect(report.arm("on")?.units == 2 && report.arm("off")?.units == 0)
        #expect(report.arm("on")?.outputs == 2)
    }
}
