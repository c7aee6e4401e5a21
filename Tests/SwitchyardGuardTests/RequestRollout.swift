import SwitchyardTestSupport

@testable import SwitchyardGuard

/// A rollout replayed request by request through the aggregator, as the server would see it: units
/// arrive through the day, are split by the current stage, and their events are aggregated; kill
/// rules are evaluated every ten minutes and the rollout steps every two hours.
struct RequestRollout {
    var machine: RolloutMachine
    var aggregator = Aggregator()
    var traffic: SimulatedTraffic
    var assignment: SeededRandom
    var rules: [KillRuleEvaluator]
    var dailyUnits: Double
    /// Share of treatment units whose exposure event is lost.
    var droppedTreatmentExposures = 0.0
    var now: Timestamp
    var transitions: [RolloutTransition] = []
    /// The first kill rule trip; the treatment is no longer served after it.
    var trip: KillRuleTrip?
    /// Treatment units served so far, and those among them who saw an error.
    var treatedUnits = 0
    var unitsWithBadOutput = 0
    private var nextUnit = 0

    init(plan: RolloutPlan, rules: [KillRule], seed: UInt64, dailyUnits: Double, treatment: VariantBehaviour, start: Timestamp) throws {
        machine = try RolloutMachine(plan: plan)
        traffic = SimulatedTraffic(seed: seed, behaviours: [plan.control: VariantBehaviour(), plan.treatment: treatment])
        assignment = SeededRandom(seed: seed &+ 99)
        self.rules = rules.map { KillRuleEvaluator(rule: $0, flag: plan.flag, variant: plan.treatment, control: plan.control, since: start) }
        self.dailyUnits = dailyUnits
        now = start
        transitions.append(try machine.start(now: start))
    }

    var isStopped: Bool { trip != nil || machine.state.phase == .completed || machine.state.phase == .rolledBack }

    /// Replays until the treatment is stopped or `days` have passed.
    mutating func run(days: Int) async {
        let end = now + .seconds(Int64(days) * 86_400)
        var minute = 0
        while now < end, !isStopped {
            minute += 1
            serveOneMinute()
            now = now + .seconds(60)
            if minute % 10 == 0 { evaluateRules() }
            if minute % 120 == 0 { step() }
            // Seconds of arithmetic in a debug build: the other tests get the cooperative threads
            // between simulated hours.
            if minute % 60 == 0 { await Task.yield() }
        }
    }

    private mutating func serveOneMinute() {
        let perMinute = dailyUnits / 1440
        let arrivals = Int(perMinute) + (assignment.chance(perMinute - perMinute.rounded(.down)) ? 1 : 0)
        let weights = machine.weights
        let share = (weights[machine.plan.treatment] ?? 0) / weights.values.reduce(0, +)
        for _ in 0..<arrivals {
            nextUnit += 1
            let treated = assignment.chance(share)
            let variant = treated ? machine.plan.treatment : machine.plan.control
            let exposed = !(treated && assignment.chance(droppedTreatmentExposures))
            let errors = traffic.unit("u-\(nextUnit)", variant: variant, at: now, into: &aggregator, exposed: exposed)
            if treated {
                treatedUnits += 1
                if errors > 0 { unitsWithBadOutput += 1 }
            }
        }
    }

    private mutating func evaluateRules() {
        for index in rules.indices {
            if case .tripped(let trip) = rules[index].evaluate(aggregator, now: now), self.trip == nil { self.trip = trip }
        }
    }

    private mutating func step() {
        let report = machine.report(aggregator, now: now)
        for transition in machine.step(now: now, report: report) {
            transitions.append(transition)
            if transition.beginsStage { aggregator.startAnalysis(of: machine.plan.flag) }
        }
    }
}
