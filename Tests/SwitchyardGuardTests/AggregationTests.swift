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

    /// A follow-up names only its output, yet the changes name the output's arm (at the follow-up's
    /// minute) and the output's unit, so the server can store them at once.
    @Test func addReportsTheBucketsUnitsAndOutputsItChanged() {
        var aggregator = Aggregator()
        var changes = AggregateChanges()
        aggregator.add(
            contentsOf: [
                .exposure(ExposureEvent(flag: "ai", variant: "on", reason: "SPLIT", unitKey: "u-1", timestamp: Self.start, segment: "beta")),
                Self.output("o-1", unit: "u-1", at: .seconds(1)),
                Self.output("o-2", unit: "u-2", variant: "off", at: .seconds(2)),
            ], changes: &changes)
        let beta = ArmKey(flag: "ai", variant: "on", segment: "beta")
        let off = ArmKey(flag: "ai", variant: "off")
        #expect(changes.minutes == [ArmMinute(key: beta, minute: Self.start.minute), ArmMinute(key: off, minute: Self.start.minute)])
        #expect(changes.units == [UnitReference(flag: "ai", unitKey: "u-1"), UnitReference(flag: "ai", unitKey: "u-2")])
        #expect(changes.outputs.map(\.outputId) == ["o-1", "o-2"])
        #expect(changes.outputs.first == RememberedOutput(outputId: "o-1", key: beta, unitKey: "u-1", timestamp: Self.start + .seconds(1)))

        var later = AggregateChanges()
        let feedbackAt = Self.start + .seconds(600)
        aggregator.add(
            contentsOf: [
                .feedback(FeedbackEvent(outputId: "o-1", positive: false, timestamp: feedbackAt)),
                .action(ActionEvent(outputId: "o-unknown", name: "sent", timestamp: feedbackAt)),
                Self.output("o-1", unit: "u-1", at: .seconds(601)),
            ], changes: &later)
        #expect(later.minutes == [ArmMinute(key: beta, minute: feedbackAt.minute)])
        #expect(later.units == [UnitReference(flag: "ai", unitKey: "u-1")])
        #expect(later.outputs.isEmpty, "an output id already remembered is not remembered again")
        #expect(aggregator.totals(for: beta, minute: feedbackAt.minute)?.negativeFeedback == 1)
        #expect(aggregator.unit("u-1", of: "ai")?.negativeFeedback == 1)
    }

    @Test func followUpsToOutputsOlderThanTheRetentionAreUnattributed() {
        var aggregator = Aggregator(options: .init(retention: .seconds(3600)))
        aggregator.add(Self.output("o-old", unit: "u-1", at: .zero))
        aggregator.add(Self.output("o-new", unit: "u-2", at: .seconds(2 * 3600)))
        var changes = AggregateChanges()
        aggregator.add(
            contentsOf: [
                .feedback(FeedbackEvent(outputId: "o-old", positive: false, timestamp: Self.start + .seconds(2 * 3600 + 5))),
                .feedback(FeedbackEvent(outputId: "o-new", positive: false, timestamp: Self.start + .seconds(2 * 3600 + 5))),
            ], changes: &changes)
        #expect(aggregator.unattributedFollowUps == 1)
        #expect(changes.units == [UnitReference(flag: "ai", unitKey: "u-2")])
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
