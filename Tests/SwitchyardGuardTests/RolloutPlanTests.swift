import SwitchyardCore
import Testing

@testable import SwitchyardGuard

@Suite struct RolloutPlanTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_732_500_000_000)
    static let plan = RolloutPlan.standard(flag: "ai", control: "off", treatment: "on")

    /// Evaluates the targeting with SwitchyardCore for `count` users; returns who got the treatment.
    static func treated(_ targeting: JSONValue, count: Int, attributes: (Int) -> [String: JSONValue] = { _ in [:] }) throws -> Set<Int> {
        let document = try FlagDocument(
            json: ["flags": ["ai": ["state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off", "targeting": targeting]]])
        var treated: Set<Int> = []
        for user in 0..<count {
            let resolution = document.resolve("ai", context: EvaluationContext(targetingKey: "user-\(user)", attributes: attributes(user)))
            if resolution.variant == "on" { treated.insert(user) }
        }
        return treated
    }

    @Test func raisingThePercentageKeepsEveryoneAlreadyTreated() throws {
        var previous: Set<Int> = []
        for percent in [0.1, 1, 5, 20, 50, 100] {
            let treated = try Self.treated(Self.plan.fractionalTargeting(percent: percent), count: 20_000)
            let share = Double(treated.count) / 20_000
            #expect(abs(share - percent / 100) < 0.01 + percent / 1000, "\(percent)% gave \(share)")
            #expect(previous.isSubset(of: treated), "someone left the treatment when going to \(percent)%")
            previous = treated
        }
        #expect(RolloutPlan.treatmentWeight(percent: 0.001) == 1)
    }

    @Test func segmentGatesGetTheTreatmentBeforeThePercentages() throws {
        let internalUsers: JSONValue = ["==": [["var": "internal"], true]]
        let plan = RolloutPlan(
            flag: "ai", control: "off", treatment: "on",
            stages: [
                .init(gate: .segment(name: "internal", condition: internalUsers), minimumDuration: .seconds(86_400), minimumUnitsPerArm: 10),
                .init(gate: .percentage(5), minimumDuration: .seconds(86_400), minimumUnitsPerArm: 100),
            ],
            guardrails: [.init(metric: .errorRate, action: .rollback)])
        let attributes: (Int) -> [String: JSONValue] = { ["internal": .bool($0 < 100)] }
        let firstStage = try Self.treated(plan.targeting(atStage: 0, base: nil), count: 5_000, attributes: attributes)
        #expect(firstStage == Set(0..<100))
        let secondStage = try Self.treated(plan.targeting(atStage: 1, base: nil), count: 5_000, attributes: attributes)
        #expect(secondStage.isSuperset(of: 0..<100))
        #expect(abs(Double(secondStage.count - 100) / 4_900 - 0.05) < 0.015)
        #expect(try RolloutPlan(json: plan.json) == plan)
    }

    @Test func planAndStateRoundTripThroughJSON() throws {
        #expect(try RolloutPlan(json: JSONValue(parsing: Self.plan.json.serialized())) == Self.plan)
        let state = RolloutState(
            phase: .paused, stage: 2, stageStartedAt: Self.start, pausedAt: Self.start + .seconds(60), holding: true, warned: [.latencyMs, .editRate])
        #expect(try RolloutState(json: JSONValue(parsing: state.json.serialized())) == state)
    }

    @Test func rejectsInconsistentPlans() {
        var plan = Self.plan
        plan.stages[1].gate = .percentage(0.5)
        #expect(throws: RolloutError.self) { try RolloutMachine(plan: plan) }
        do {
            _ = try RolloutPlan(json: [
                "flag": "ai", "control": "off", "treatment": "on", "stages": [["percent": 1, "minDuration": "soon", "minUnitsPerArm": 1]],
            ])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "invalid rollout plan: stages[0].minDuration must be a duration such as \"3d\"")
        }
    }

    @Test func commandsFollowTheStateMachine() throws {
        var machine = try RolloutMachine(plan: Self.plan)
        #expect(throws: RolloutError.self) { try machine.pause(now: Self.start) }
        let started = try machine.start(now: Self.start)
        #expect(started.kind == .started && started.targeting == Self.plan.fractionalTargeting(percent: 1))
        #expect(try machine.pause(now: Self.start + .seconds(3600)).to.phase == .paused)
        let resumed = try machine.resume(now: Self.start + .seconds(7200))
        #expect(resumed.to.stageStartedAt == Self.start + .seconds(3600))
        #expect(resumed.to.analysisStartedAt == Self.start, "the stage's analysis period stays the same")
        #expect(try RolloutState(json: JSONValue(parsing: resumed.to.json.serialized())) == resumed.to)
        let aborted = try machine.abort(now: Self.start + .seconds(9000))
        #expect(aborted.kind == .rolledBack && aborted.targeting == Self.plan.fractionalTargeting(percent: 0))
        #expect(throws: RolloutError.self) { try machine.resume(now: Self.start + .seconds(9001)) }
    }
}

@Suite struct RolloutCompositionTests {
    static let split: JSONValue = ["fractional": [["on", 1_000], ["off", 99_000]]]

    @Test func thePlanTakesTheFallThroughAndLeavesEveryGate() throws {
        let chain: JSONValue = ["if": [["$ref": "internal"], "on", ["fractional": [["on", 1], ["off", 99]]]]]
        #expect(try RolloutPlan.composing(Self.split, into: chain) == ["if": [["$ref": "internal"], "on", Self.split]])
        let noElse: JSONValue = ["if": [["$ref": "internal"], "on"]]
        #expect(try RolloutPlan.composing(Self.split, into: noElse) == ["if": [["$ref": "internal"], "on", Self.split]])
        let nested: JSONValue = ["if": [["$ref": "a"], "on", ["if": [["$ref": "b"], "off"]]]]
        #expect(try RolloutPlan.composing(Self.split, into: nested) == ["if": [["$ref": "a"], "on", ["if": [["$ref": "b"], "off", Self.split]]]])
        #expect(try RolloutPlan.composing(Self.split, into: nil) == Self.split)
        #expect(try RolloutPlan.composing(Self.split, into: .object([:])) == Self.split)
    }

    @Test func aTargetingWithoutAFallThroughIsRefusedInWords() {
        #expect(throws: RolloutError.self) { try RolloutPlan.composing(Self.split, into: ["in": ["a", ["var": "x"]]]) }
        do {
            _ = try RolloutPlan.composing(Self.split, into: "on")
            Issue.record("a constant targeting was accepted")
        } catch {
            #expect(error.description.contains("no fall-through"))
        }
    }
}
