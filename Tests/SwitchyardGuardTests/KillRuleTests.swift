import SwitchyardCore
import SwitchyardTestSupport
import Testing

@testable import SwitchyardGuard

@Suite struct KillRuleTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_732_500_000_000)

    @Test(arguments: [
        "errorRate > 0.05 over 15m minSamples 50",
        "meanOutputChars > 5000 over 15m minSamples 50",
        "p95LatencyMs > 8000 over 10m minSamples 50",
        "negativeFeedbackRate > 0.2 over 1h minSamples 50",
        "outputChars ratio vs control > 3 over 15m minSamples 50",
        "errorRate > 0.05 over 15m minSamples 20 baseline 0.02 cooldown 30m",
        "actionRate < 0.1 over 1d minSamples 200",
    ])
    func textFormRoundTrips(text: String) throws {
        let rule = try KillRule(parsing: text)
        #expect(rule.text == text)
        #expect(try KillRule(json: rule.json) == rule)
        #expect(try KillRule(json: JSONValue(parsing: rule.json.serialized())) == rule)
    }

    @Test func readsTheBriefsExamples() throws {
        let rule = try KillRule(parsing: "errorRate>0.05 over 15m")
        #expect(rule == KillRule(metric: .rate(.errorRate), threshold: 0.05, window: .seconds(900)))
        #expect(try KillRule(parsing: "p95LatencyMs > 8000 over 10m").metric == .quantile(percent: 95, .latencyMs))
        #expect(try KillRule(parsing: "outputChars ratio vs control > 3 over 15m").metric == .ratioToControl(.outputChars))
    }

    @Test(arguments: [
        ("errorRat > 0.05 over 15m", 1, "unknown metric 'errorRat'"),
        ("errorRate >= 0.05 over 15m", 12, "expected a threshold, found '='"),
        ("errorRate > 0.05 during 15m", 18, "expected 'over', found 'during'"),
        ("errorRate > 0.05 over fifteen", 23, "expected a duration such as 90s, 15m, 1h or 3d, found 'fifteen'"),
        ("errorRate > 5 over 15m", 13, "a rate threshold must be between 0 and 1"),
        ("errorRate > 0.05 over 15m minSamples", 37, "expected a whole number of samples, found the end of the rule"),
        ("errorRate > 0.05 over 15m sometimes", 27, "expected minSamples, baseline or cooldown, found 'sometimes'"),
        ("words ratio vs control > 2 over 1h", 1, "'ratio vs control' applies to"),
    ])
    func parseErrorsNameTheColumn(text: String, column: Int, message: String) {
        do {
            _ = try KillRule(parsing: text)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.column == column)
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test func jsonErrorsNameTheMember() {
        do {
            _ = try KillRule(json: ["metric": "errorRate", "comparison": ">", "threshold": 0.05, "window": "soon"])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "kill rule, member window: must be a duration such as \"15m\"")
        }
    }

    /// One output per second for `seconds`, failing with probability `errorRate`.
    static func traffic(
        _ aggregator: inout Aggregator, variant: String = "on", from: Duration = .zero, seconds: Int, errorRate: Double, chars: Double = 1000,
        seed: UInt64
    ) {
        var random = SeededRandom(seed: seed)
        let offset = from.milliseconds / 1000
        for second in 0..<seconds {
            let failed = random.chance(errorRate)
            aggregator.add(
                .output(
                    OutputEvent(
                        outputId: "\(variant)-\(seed)-\(second)", flag: "ai", variant: variant, unitKey: "u-\(second % 500)",
                        timestamp: start + .seconds(offset + Int64(second)), model: "m",
                        chars: Int(random.logNormal(median: chars, sigma: 0.5)), words: 100,
                        latencyMs: random.logNormal(median: 900, sigma: 0.4), tokensIn: 100, tokensOut: 100,
                        finishReason: failed ? .error : .stop
                    )
                )
            )
        }
    }

    @Test func tripsOnlyWithEvidenceAndStaysTripped() throws {
        var healthy = Aggregator(options: .init(tracksUnits: false))
        Self.traffic(&healthy, seconds: 3600, errorRate: 0.03, seed: 1)
        var evaluator = KillRuleEvaluator(rule: try KillRule(parsing: "errorRate > 0.05 over 15m"), flag: "ai", variant: "on", since: Self.start)
        for minute in 1...60 {
            if case .clear = evaluator.evaluate(healthy, now: Self.start + .seconds(60 * minute)) { continue }
            Issue.record("tripped on healthy traffic at minute \(minute)")
        }

        var failing = Aggregator(options: .init(tracksUnits: false))
        Self.traffic(&failing, seconds: 1200, errorRate: 0.15, seed: 2)
        var tripped: KillRuleTrip?
        for minute in 1...20 where tripped == nil {
            if case .tripped(let trip) = evaluator.evaluate(failing, now: Self.start + .seconds(60 * minute)) { tripped = trip }
        }
        let trip = try #require(tripped)
        #expect(trip.measurement.method == .wilson)
        #expect(trip.measurement.samples >= 50)
        #expect(trip.measurement.bound! > 0.05)
        #expect(trip.json["measurement"]?["samples"] != nil)
        guard case .stillTripped = evaluator.evaluate(healthy, now: Self.start + .seconds(7200)) else {
            Issue.record("a tripped rule must stay tripped without a reset or cool-down")
            return
        }
        evaluator.reset(now: Self.start + .seconds(7200))
        guard case .clear = evaluator.evaluate(failing, now: Self.start + .seconds(7260)) else {
            Issue.record("data from before a reset must not trip the rule again")
            return
        }
    }

    @Test func respectsMinSamples() throws {
        var aggregator = Aggregator(options: .init(tracksUnits: false))
        Self.traffic(&aggregator, seconds: 40, errorRate: 1, seed: 3)
        var evaluator = KillRuleEvaluator(rule: try KillRule(parsing: "errorRate > 0.05 over 15m"), flag: "ai", variant: "on", since: Self.start)
        guard case .clear(let measurement) = evaluator.evaluate(aggregator, now: Self.start + .seconds(60)) else {
            Issue.record("40 failures are fewer than minSamples 50")
            return
        }
        #expect(measurement.observed == 1 && measurement.samples == 40)
    }

    @Test func coolsDownAndRearms() throws {
        var aggregator = Aggregator(options: .init(tracksUnits: false))
        Self.traffic(&aggregator, seconds: 600, errorRate: 0.5, seed: 4)
        var evaluator = KillRuleEvaluator(
            rule: try KillRule(parsing: "errorRate > 0.05 over 15m cooldown 30m"), flag: "ai", variant: "on", since: Self.start)
        guard case .tripped(let trip) = evaluator.evaluate(aggregator, now: Self.start + .seconds(600)) else {
            Issue.record("expected a trip")
            return
        }
        #expect(trip.rearmsAt == Self.start + .seconds(600 + 1800))
        guard case .stillTripped = evaluator.evaluate(aggregator, now: Self.start + .seconds(1200)) else {
            Issue.record("expected the rule to hold during the cool-down")
            return
        }
        guard case .clear = evaluator.evaluate(aggregator, now: Self.start + .seconds(2500)) else {
            Issue.record("expected the rule to re-arm after the cool-down")
            return
        }
    }

    /// A jump from 2 % to 40 % errors: the fast path trips within tens of requests, before the
    /// Wilson bound is even allowed to look (minSamples 50).
    @Test func cusumFastPathTripsBeforeMinSamples() throws {
        let withFastPath = try KillRule(parsing: "errorRate > 0.05 over 15m minSamples 50 baseline 0.02")
        var fastEvaluator = KillRuleEvaluator(rule: withFastPath, flag: "ai", variant: "on", since: Self.start)
        var plainEvaluator = KillRuleEvaluator(
            rule: try KillRule(parsing: "errorRate > 0.05 over 15m minSamples 50"), flag: "ai", variant: "on", since: Self.start)
        var aggregator = Aggregator(options: .init(tracksUnits: false))
        var fastAt: Int?
        var plainAt: Int?
        var random = SeededRandom(seed: 6)
        for request in 1...1000 where plainAt == nil {
            let now = Self.start + .seconds(Int64(request))
            aggregator.add(
                .output(
                    OutputEvent(
                        outputId: "o-\(request)", flag: "ai", variant: "on", unitKey: "u", timestamp: now, model: "m",
                        chars: 10, words: 2, latencyMs: 1, tokensIn: 1, tokensOut: 1, finishReason: random.chance(0.4) ? .error : .stop)))
            if fastAt == nil, case .tripped(let trip) = fastEvaluator.evaluate(aggregator, now: now) {
                fastAt = request
                #expect(trip.measurement.method == .cusum)
            }
            if case .tripped = plainEvaluator.evaluate(aggregator, now: now) { plainAt = request }
        }
        print("CUSUM fast path tripped after \(fastAt ?? -1) requests; the Wilson bound after \(plainAt ?? -1)")
        #expect(try #require(fastAt) < 50)
        #expect(try #require(plainAt) >= 50)
    }

    /// The stored state resumes the fast path exactly: the same statistic after the same traffic.
    @Test func cusumStateRoundTripsThroughJSONText() throws {
        let rule = try KillRule(parsing: "errorRate > 0.05 over 15m minSamples 50 baseline 0.02")
        var aggregator = Aggregator(options: .init(tracksUnits: false))
        Self.traffic(&aggregator, seconds: 40, errorRate: 0.1, seed: 9)
        var evaluator = KillRuleEvaluator(rule: rule, flag: "ai", variant: "on", since: Self.start)
        _ = evaluator.evaluate(aggregator, now: Self.start + .seconds(40))
        let state = try #require(evaluator.cusumState)
        #expect(state.minute == Self.start.minute && state.trials == 40 && state.statistic > 0)
        let text = state.json.serialized()
        #expect(try CUSUMState(json: JSONValue(parsing: text)) == state)
        let resumed = KillRuleEvaluator(
            rule: rule, flag: "ai", variant: "on", since: Self.start, resuming: try CUSUMState(json: JSONValue(parsing: text)))
        #expect(resumed.cusumState == state)
        #expect(
            KillRuleEvaluator(rule: try KillRule(parsing: "errorRate > 0.05 over 15m"), flag: "ai", variant: "on", since: Self.start).cusumState
                == nil)
        #expect(throws: KillRuleError.self) { try CUSUMState(json: ["statistic": -1, "minute": 1, "events": 0, "trials": 0]) }
        #expect(throws: KillRuleError.self) { try CUSUMState(json: ["statistic": 1, "minute": 1, "events": 3, "trials": 2]) }
    }

    @Test func boundsMeansQuantilesAndRatios() throws {
        var aggregator = Aggregator(options: .init(tracksUnits: false))
        Self.traffic(&aggregator, variant: "off", seconds: 900, errorRate: 0, chars: 1000, seed: 7)
        Self.traffic(&aggregator, variant: "on", seconds: 900, errorRate: 0, chars: 3500, seed: 8)
        let now = Self.start + .seconds(900)
        func decide(_ text: String, variant: String = "on") throws -> Bool {
            var evaluator = KillRuleEvaluator(rule: try KillRule(parsing: text), flag: "ai", variant: variant, control: "off", since: Self.start)
            if case .tripped = evaluator.evaluate(aggregator, now: now) { return true }
            return false
        }
        #expect(try decide("outputChars ratio vs control > 3 over 15m"))
        #expect(try !decide("outputChars ratio vs control > 4 over 15m"))
        #expect(try decide("meanOutputChars > 3000 over 15m"))
        #expect(try !decide("meanOutputChars > 4500 over 15m"))
        #expect(try !decide("meanOutputChars > 3000 over 15m", variant: "off"))
        // Latency is log-normal with median 900 ms and σ = 0.4: p95 ≈ 1,730 ms.
        #expect(try decide("p95LatencyMs > 1500 over 15m"))
        #expect(try !decide("p95LatencyMs > 2000 over 15m"))
        #expect(try decide("meanOutputChars < 2000 over 15m", variant: "off"))
    }
}
