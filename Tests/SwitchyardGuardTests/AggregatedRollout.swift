import SwitchyardTestSupport

@testable import SwitchyardGuard

/// A rollout replayed hour by hour on per-arm sufficient statistics instead of individual requests,
/// so that hundreds of three-week rollouts run in a test.
///
/// Each hour, units arrive and are split by the stage's weights; each arm's hourly moments are drawn
/// from the exact distribution of its per-unit values: two outputs per unit, each an error with
/// probability `errorRate` (per-unit errors are Binomial(2, p)); per-unit latency, the sum of two
/// log-normal latencies (median 900 ms, σ 0.4), drawn unit by unit for small batches and through
/// its mean and sample variance (normal approximations) for large ones; negative feedback per unit
/// Bernoulli(0.1).
struct AggregatedRollout {
    static let latencyMean = 2 * 900 * 1.0832870676749586  // 2 · median · e^(σ²/2)
    static let latencyVariance = 2 * 900.0 * 900.0 * 1.1735108709918103 * 0.17351087099181028  // 2 · m² e^(σ²) (e^(σ²) − 1)

    var machine: RolloutMachine
    var random: SeededRandom
    var dailyUnits: Double
    var treatmentErrorRate: Double
    var controlErrorRate = 0.02
    /// Share of treatment units whose exposure is lost.
    var droppedTreatmentExposures = 0.0
    var moments: [String: ArmMoments] = [:]
    var transitions: [RolloutTransition] = []
    var now: Timestamp
    /// Hourly output and error counts, as a server's minute buckets would hold them, for kill rules.
    var aggregator = Aggregator(options: .init(tracksUnits: false))
    var killRules: [KillRuleEvaluator] = []
    /// The first kill rule trip, if any.
    var trip: KillRuleTrip?

    init(plan: RolloutPlan, seed: UInt64, dailyUnits: Double = 10_000, treatmentErrorRate: Double = 0.02, start: Timestamp) throws {
        machine = try RolloutMachine(plan: plan)
        random = SeededRandom(seed: seed)
        self.dailyUnits = dailyUnits
        self.treatmentErrorRate = treatmentErrorRate
        now = start
        transitions.append(try machine.start(now: now))
    }

    var isFinished: Bool { trip != nil || machine.state.phase == .completed || machine.state.phase == .rolledBack }

    /// Watches the treatment with `rule`, evaluated every hour.
    mutating func watch(with rule: KillRule) {
        killRules.append(KillRuleEvaluator(rule: rule, flag: machine.plan.flag, variant: machine.plan.treatment, since: now))
    }

    /// Replays up to `hours` hours, stopping early when the rollout finishes. Between hours the
    /// other tests get the cooperative threads: hundreds of simulated weeks are a minute of
    /// arithmetic in a debug build, and a test that holds both threads that long starves every
    /// server test running beside it.
    mutating func run(hours: Int) async {
        for _ in 0..<hours where !isFinished {
            hour()
            await Task.yield()
        }
    }

    /// Replays one hour, then lets the machine step.
    mutating func hour() {
        let arrivals = random.binomial(trials: Int(dailyUnits / 24 * 2), p: 0.5)
        let weights = machine.weights
        let treatmentShare = (weights[machine.plan.treatment] ?? 0) / weights.values.reduce(0, +)
        var treated = random.binomial(trials: arrivals, p: treatmentShare)
        treated -= random.binomial(trials: treated, p: droppedTreatmentExposures)
        add(units: treated, variant: machine.plan.treatment, errorRate: treatmentErrorRate)
        add(units: arrivals - treated, variant: machine.plan.control, errorRate: controlErrorRate)
        now = now + .seconds(3600)
        for index in killRules.indices where trip == nil {
            if case .tripped(let trip) = killRules[index].evaluate(aggregator, now: now) { self.trip = trip }
        }
        let report = VariantReport(
            flag: machine.plan.flag, control: machine.plan.control, arms: moments, weights: weights, now: now, options: machine.plan.reportOptions)
        for transition in machine.step(now: now, report: report) {
            transitions.append(transition)
            if transition.beginsStage { moments = [:] }
        }
    }

    private mutating func add(units n: Int, variant: String, errorRate p: Double) {
        guard n > 0 else { return }
        let units = Double(n)
        let twoErrors = random.binomial(trials: n, p: p * p)
        let oneError = random.binomial(trials: n - twoErrors, p: 2 * p * (1 - p) / (1 - p * p))
        let errors = Double(oneError + 2 * twoErrors)
        var hourTotals = ArmTotals()
        hourTotals.outputs = 2 * n
        hourTotals.errors = oneError + 2 * twoErrors
        aggregator.restore(hourTotals, for: ArmKey(flag: machine.plan.flag, variant: variant), minute: now.minute)
        let errorMoments = RatioMoments(
            count: n, sumX: 2 * units, sumY: errors, sumXX: 4 * units, sumYY: Double(oneError + 4 * twoErrors), sumXY: 2 * errors)
        var latencyMoments = RatioMoments()
        if n <= 50 {
            for _ in 0..<n { latencyMoments.add(x: 2, y: random.logNormal(median: 900, sigma: 0.4) + random.logNormal(median: 900, sigma: 0.4)) }
        } else {
            let latencySum = units * Self.latencyMean + (units * Self.latencyVariance).squareRoot() * random.normal()
            let sampleVariance = Self.latencyVariance * max(0, 1 + (2 / Double(n - 1)).squareRoot() * random.normal())
            latencyMoments = RatioMoments(
                count: n, sumX: 2 * units, sumY: latencySum, sumXX: 4 * units,
                sumYY: (units - 1) * sampleVariance + latencySum * latencySum / units, sumXY: 2 * latencySum)
        }
        let negative = Double(random.binomial(trials: n, p: 0.1))
        let feedbackMoments = RatioMoments(count: n, sumX: units, sumY: negative, sumXX: units, sumYY: negative, sumXY: negative)
        moments[variant, default: ArmMoments()].merge(
            ArmMoments(
                units: n, outputs: 2 * n, metrics: [.errorRate: errorMoments, .latencyMs: latencyMoments, .negativeFeedbackPerUnit: feedbackMoments]))
    }
}
