import Testing

@testable import SwitchyardGuard

/// Guardrail actions and non-inferiority, replayed on aggregated traffic.
@Suite struct RolloutMachineTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_732_500_000_000)

    static func plan(_ action: RolloutPlan.Action, nonInferiorityMargin: Double? = nil) -> RolloutPlan {
        var plan = RolloutPlan.standard(flag: "ai", control: "off", treatment: "on")
        plan.guardrails = [.init(metric: .errorRate, action: action, nonInferiorityMargin: nonInferiorityMargin)]
        return plan
    }

    @Test func holdStaysAtTheStageUntilAPersonResumes() async throws {
        var rollout = try AggregatedRollout(plan: Self.plan(.hold), seed: 41, treatmentErrorRate: 0.05, start: Self.start)
        await rollout.run(hours: 10 * 24)
        let held = try #require(rollout.transitions.first { $0.kind == .held })
        #expect(held.evidence.map(\.metric) == [.errorRate] && held.evidence[0].verdict == .regression)
        #expect(rollout.machine.state.phase == .running && rollout.machine.state.holding)
        #expect(rollout.machine.state.stage == held.from.stage, "a hold never advances")
        #expect(rollout.transitions.filter { $0.kind == .held }.count == 1, "a hold alerts once")
        rollout.transitions.append(try rollout.machine.resume(now: rollout.now))
        #expect(!rollout.machine.state.holding)
        await rollout.run(hours: 1 * 24)
        #expect(rollout.transitions.last?.kind == .held, "the regression is still there, so it holds again")
    }

    @Test func warnAlertsOncePerStageAndDoesNotBlock() async throws {
        var rollout = try AggregatedRollout(plan: Self.plan(.warn), seed: 42, treatmentErrorRate: 0.05, start: Self.start)
        await rollout.run(hours: 30 * 24)
        #expect(rollout.machine.state.phase == .completed)
        let warnedStages = rollout.transitions.filter { $0.kind == .warned }.map(\.from.stage)
        #expect(!warnedStages.isEmpty && Set(warnedStages).count == warnedStages.count)
    }

    @Test func nonInferiorityMustBeShownBeforeAdvancing() async throws {
        var strict = try AggregatedRollout(plan: Self.plan(.rollback, nonInferiorityMargin: 0.0005), seed: 43, start: Self.start)
        await strict.run(hours: 30 * 24)
        #expect(strict.machine.state.phase == .running && strict.machine.state.stage == 0, "a 0.05-point margin cannot be shown at 1 %")

        var tolerant = try AggregatedRollout(plan: Self.plan(.rollback, nonInferiorityMargin: 0.02), seed: 43, start: Self.start)
        await tolerant.run(hours: 30 * 24)
        #expect(tolerant.machine.state.phase == .completed)
        let advanced = try #require(tolerant.transitions.first { $0.kind == .advanced })
        #expect(advanced.evidence.first?.verdict == .nonInferior)
        #expect(advanced.evidence.first.map { $0.upper < 0.02 } == true)
    }

    @Test func aPausedRolloutDoesNotStepAndItsClockStops() async throws {
        var rollout = try AggregatedRollout(plan: Self.plan(.rollback), seed: 44, start: Self.start)
        await rollout.run(hours: 1 * 24)
        rollout.transitions.append(try rollout.machine.pause(now: rollout.now))
        await rollout.run(hours: 5 * 24)
        #expect(rollout.machine.state.phase == .paused && rollout.machine.state.stage == 0)
        rollout.transitions.append(try rollout.machine.resume(now: rollout.now))
        await rollout.run(hours: 1 * 24)
        #expect(rollout.machine.state.stage == 0, "one day of the three-day stage is left")
        await rollout.run(hours: 1 * 24)
        #expect(rollout.machine.state.stage == 1)
    }
}
