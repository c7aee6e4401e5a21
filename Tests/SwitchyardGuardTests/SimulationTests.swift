import SwitchyardCore
import SwitchyardTestSupport
import Testing

@testable import SwitchyardGuard

/// Deterministic replays of rollouts: seeded traffic, time from the replay, days in milliseconds.
@Suite struct SimulationTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_732_500_000_000)
    static let plan = RolloutPlan.standard(flag: "ai", control: "off", treatment: "on")

    /// The brief's scenario: 10,000 users a day, the AI path's error rate is 10 % instead of 2 % as
    /// soon as it reaches the 1 % stage (about 100 users a day, 200 outputs).
    @Test func anErrorJumpAtTheOnePercentStageIsKilled() async throws {
        let rule = try KillRule(parsing: "errorRate > 0.05 over 1d minSamples 50 baseline 0.02")
        var rollout = try RequestRollout(
            plan: Self.plan, rules: [rule], seed: 21, dailyUnits: 10_000, treatment: VariantBehaviour(errorRate: 0.10), start: Self.start)
        await rollout.run(days: 3)
        let stoppedBy = rollout.trip.map { "kill rule '\($0.rule.text)': \($0.measurement)" } ?? rollout.transitions.last.map(\.reason) ?? "nothing"
        let stoppedAt = rollout.trip?.at ?? rollout.transitions.last?.at ?? rollout.now
        let hours = Double((stoppedAt - Self.start).milliseconds) / 3_600_000
        print(
            "error jump: stopped after \(hours) hours by \(stoppedBy); \(rollout.treatedUnits) users got the treatment, \(rollout.unitsWithBadOutput) of them saw a bad output first"
        )
        #expect(rollout.trip != nil || rollout.machine.state.phase == .rolledBack)
        #expect(hours < 72, "stopped within the 1 % stage")
        #expect(rollout.machine.state.stage == 0)
        #expect(rollout.unitsWithBadOutput < 50)
    }

    @Test func threeTimesLongerOutputsAreCaughtByTheLengthRule() async throws {
        let rule = try KillRule(parsing: "outputChars ratio vs control > 2 over 6h minSamples 30")
        var rollout = try RequestRollout(
            plan: Self.plan, rules: [rule], seed: 22, dailyUnits: 10_000, treatment: VariantBehaviour(medianChars: 3600), start: Self.start)
        await rollout.run(days: 3)
        let trip = try #require(rollout.trip)
        let hours = Double((trip.at - Self.start).milliseconds) / 3_600_000
        print("3× longer outputs: kill rule tripped after \(hours) hours: \(trip.measurement)")
        #expect(trip.measurement.method == .logRatio)
        #expect(try #require(trip.measurement.observed) > 2.5)
        #expect(hours < 24)
    }

    @Test func aHealthyTreatmentIsNotKilledByTheLengthRule() async throws {
        let rule = try KillRule(parsing: "outputChars ratio vs control > 2 over 6h minSamples 30")
        var rollout = try RequestRollout(
            plan: Self.plan, rules: [rule], seed: 23, dailyUnits: 10_000, treatment: VariantBehaviour(), start: Self.start)
        await rollout.run(days: 2)
        #expect(rollout.trip == nil)
        #expect(rollout.machine.state.phase == .running)
    }

    /// 200 three-week A/A rollouts of the default plan, watched by an error-rate kill rule with its
    /// CUSUM fast path: at most α = 5 % of runs are wrongly killed, rolled back or held (the
    /// always-valid bound promises it; Bonferroni makes it conservative).
    @Test func anAARolloutIsRarelyStoppedWrongly() async throws {
        let rule = try KillRule(parsing: "errorRate > 0.05 over 1h minSamples 50 baseline 0.02")
        let plan = RolloutPlan(
            flag: "ai", control: "off", treatment: "on", stages: Self.plan.stages,
            guardrails: [
                .init(metric: .errorRate, action: .rollback), .init(metric: .latencyMs, action: .hold),
                .init(metric: .negativeFeedbackPerUnit, action: .hold),
            ])
        var wronglyStopped = 0
        var wronglyKilled = 0
        var completed = 0
        var days: [Double] = []
        for seed in 0..<200 {
            var rollout = try AggregatedRollout(plan: plan, seed: UInt64(1000 + seed), start: Self.start)
            rollout.watch(with: rule)
            await rollout.run(hours: 30 * 24)
            if let trip = rollout.trip {
                wronglyKilled += 1
                print("A/A seed \(seed): killed: \(trip)")
            }
            if let stop = rollout.transitions.first(where: { $0.kind == .rolledBack || $0.kind == .held }) {
                wronglyStopped += 1
                print(
                    "A/A seed \(seed): \(stop.kind.rawValue) at stage \(stop.from.stage) after \(Double((stop.at - Self.start).milliseconds) / 3_600_000) hours: \(stop.reason)"
                )
            }
            if rollout.machine.state.phase == .completed {
                completed += 1
                days.append(Double((rollout.now - Self.start).milliseconds) / 86_400_000)
            }
        }
        print(
            "A/A: \(wronglyKilled) of 200 rollouts wrongly killed, \(wronglyStopped) wrongly rolled back or held; \(completed) completed, in \(days.min() ?? 0)–\(days.max() ?? 0) days"
        )
        #expect(wronglyKilled + wronglyStopped <= 10)
        #expect(completed >= 190)
    }

    @Test func anAARolloutWithARegressionIsRolledBack() async throws {
        var rollout = try AggregatedRollout(plan: Self.plan, seed: 7, treatmentErrorRate: 0.04, start: Self.start)
        await rollout.run(hours: 30 * 24)
        let last = try #require(rollout.transitions.last)
        print("2 % → 4 % errors: \(last)")
        #expect(last.kind == .rolledBack)
        #expect(last.evidence.first?.metric == .errorRate)
    }

    /// A logging bug loses a fifth of the treatment's exposures at a 50 % stage. (α = 0.01 keeps
    /// the error-rate guardrail out of the way; its false alarms are the A/A test's business.)
    @Test func aSampleRatioMismatchIsFlaggedAndBlocksTheRollout() async throws {
        let plan = RolloutPlan(
            flag: "ai", control: "off", treatment: "on",
            stages: [
                .init(gate: .percentage(50), minimumDuration: .seconds(86_400), minimumUnitsPerArm: 100),
                .init(gate: .percentage(100), minimumDuration: .zero, minimumUnitsPerArm: 0),
            ],
            guardrails: [.init(metric: .errorRate, action: .rollback)], alpha: 0.01)
        var rollout = try RequestRollout(plan: plan, rules: [], seed: 24, dailyUnits: 4_000, treatment: VariantBehaviour(), start: Self.start)
        rollout.droppedTreatmentExposures = 0.2
        await rollout.run(days: 1)
        let report = rollout.machine.report(rollout.aggregator, now: rollout.now)
        let check = try #require(report.sampleRatio)
        print("SRM: observed \(check.observed), χ² = \(check.chiSquared), p = \(check.pValue)")
        #expect(!check.isHealthy)
        #expect(rollout.machine.state.phase == .running && rollout.machine.state.stage == 0, "a broken split must not advance")
        #expect(report.table.contains("sample ratio: MISMATCH"))

        var healthy = try RequestRollout(plan: plan, rules: [], seed: 24, dailyUnits: 4_000, treatment: VariantBehaviour(), start: Self.start)
        await healthy.run(days: 1)
        #expect(healthy.machine.state.phase == .completed)
    }

    /// A breach that builds slowly: one output every 30 s, the error rate creeping from 2 % to 6 %
    /// over 6 hours and staying there, watched by `errorRate > 0.05 over 15m minSamples 50 baseline
    /// 0.02` every 90 s. A 15-minute window never holds 50 outputs: only the CUSUM, which remembers
    /// hours, can see it. With `restartAfter`, the server restarts then: the aggregates come back
    /// from the changes it stored, the rule from its JSON text and, when `resumingCUSUM`, the fast
    /// path from its stored state.
    static func buildingBreach(restartAfter: Duration?, resumingCUSUM: Bool) throws -> (trip: KillRuleTrip?, statisticAtRestart: Double?) {
        let rule = try KillRule(parsing: "errorRate > 0.05 over 15m minSamples 50 baseline 0.02")
        var random = SeededRandom(seed: 91)
        var stored = StoredChanges()
        var aggregator = Aggregator()
        var evaluator = KillRuleEvaluator(rule: rule, flag: "ai", variant: "on", since: start)
        var statisticAtRestart: Double?
        for tick in 1...(24 * 120) {
            let now = start + .seconds(Int64(30 * tick))
            let failed = random.chance(min(0.06, 0.02 + 0.04 * Double(tick) / (6 * 120)))
            let output = OutputEvent(
                outputId: "o-\(tick)", flag: "ai", variant: "on", unitKey: "u-\(tick % 300)", timestamp: now, model: "m", chars: 900, words: 150,
                latencyMs: 800, tokensIn: 200, tokensOut: 180, finishReason: failed ? .error : .stop)
            stored.add([.output(output)], to: &aggregator)
            if let restartAfter, now - start == restartAfter {
                let storedRule = rule.json.serialized()
                let storedState = try #require(evaluator.cusumState).json.serialized()
                statisticAtRestart = evaluator.cusumState?.statistic
                aggregator = try stored.restored()
                let resumed = try KillRule(json: JSONValue(parsing: storedRule))
                evaluator =
                    resumingCUSUM
                    ? KillRuleEvaluator(
                        rule: resumed, flag: "ai", variant: "on", since: start, resuming: try CUSUMState(json: JSONValue(parsing: storedState)))
                    : KillRuleEvaluator(rule: resumed, flag: "ai", variant: "on", since: start)
            }
            guard tick % 3 == 0 else { continue }
            if case .tripped(let trip) = evaluator.evaluate(aggregator, now: now) { return (trip, statisticAtRestart) }
        }
        return (nil, statisticAtRestart)
    }

    /// A restart while a breach builds (the last evaluation before it read half a minute): the rule
    /// trips at the same evaluation with the same numbers as without the restart. Without its stored
    /// CUSUM state the rule starts again from the last 15 minutes and trips hours later.
    @Test func aBreachBuildingAcrossARestartTripsAtTheSameEvaluation() throws {
        let restartAfter = Duration.seconds(5 * 3600 + 120)
        let uninterrupted = try #require(Self.buildingBreach(restartAfter: nil, resumingCUSUM: true).trip)
        let restarted = try Self.buildingBreach(restartAfter: restartAfter, resumingCUSUM: true)
        let forgetful = try Self.buildingBreach(restartAfter: restartAfter, resumingCUSUM: false)
        let hours = Double((uninterrupted.at - Self.start).milliseconds) / 3_600_000
        print(
            "building breach: tripped after \(hours) hours (\(uninterrupted.measurement)); restart after 5 h at S = \(restarted.statisticAtRestart ?? -1); "
                + "without the stored CUSUM: \(forgetful.trip.map { "after \(Double(($0.at - Self.start).milliseconds) / 3_600_000) hours" } ?? "no trip")"
        )
        #expect(uninterrupted.measurement.method == .cusum)
        #expect(hours > 5.5, "the breach is still building at the restart")
        #expect(try #require(restarted.statisticAtRestart) > 5)
        #expect(restarted.trip == uninterrupted)
        let late = try #require(forgetful.trip?.at ?? Optional(Self.start + .seconds(86_400)))
        #expect(late - uninterrupted.at > .seconds(3600))
    }

    /// The server restarts in the middle of the 5 % stage: it persists the state, rebuilds the
    /// machine from JSON text, and the rollout continues exactly as if nothing had happened.
    @Test func aPlanResumesAfterARestartMidStage() async throws {
        var uninterrupted = try AggregatedRollout(plan: Self.plan, seed: 77, start: Self.start)
        await uninterrupted.run(hours: 30 * 24)

        var restarted = try AggregatedRollout(plan: Self.plan, seed: 77, start: Self.start)
        await restarted.run(hours: 5 * 24)
        #expect(restarted.machine.state.stage == 1, "day 5 is in the middle of the 5 % stage")
        let storedPlan = restarted.machine.plan.json.serialized()
        let storedState = restarted.machine.state.json.serialized()
        restarted.machine = try RolloutMachine(
            plan: RolloutPlan(json: JSONValue(parsing: storedPlan)), state: RolloutState(json: JSONValue(parsing: storedState)))
        await restarted.run(hours: 30 * 24)

        #expect(restarted.transitions.map(\.kind) == uninterrupted.transitions.map(\.kind))
        #expect(restarted.transitions.map(\.at) == uninterrupted.transitions.map(\.at))
        #expect(restarted.machine.state == uninterrupted.machine.state)
        #expect(uninterrupted.transitions.map(\.kind) == [.started, .advanced, .advanced, .advanced, .completed])
    }
}
