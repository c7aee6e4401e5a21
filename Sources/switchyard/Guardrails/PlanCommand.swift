import ArgumentParser
import SwitchyardCore
import SwitchyardGuard

/// `switchyard plan`: how many units each arm needs, and how long each stage must run, to catch a regression.
struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Size a rollout: units per arm and days per stage to catch a regression, and which stages only catch gross failures.",
        discussion: """
            For a rate: --baseline-error-rate 0.02 --detect 0.03. For a mean: --baseline-mean 1200 \
            --standard-deviation 600 --detect 1500. The plan is the default one unless --plan names a plan file.
            """
    )

    @Option(help: "Units (users) exposed per day.") var dailyUnits: Double
    @Option(help: "Today's error rate (or any rate), 0–1.") var baselineErrorRate: Double?
    @Option(help: "Today's per-unit mean.") var baselineMean: Double?
    @Option(help: "The per-unit standard deviation, with --baseline-mean.") var standardDeviation: Double?
    @Option(help: "The regressed rate or mean worth catching.") var detect: Double
    @Option(help: "The probability of catching it.") var power = 0.8
    @Option(help: "A rollout plan as JSON (default: 1 → 5 → 20 → 50 → 100 % over three weeks).") var plan: String?
    @Option(help: "Comparisons α is split over (default: the plan's guardrails × its compared stages).") var metrics: Int?

    func validate() throws {
        guard dailyUnits > 0 else { throw ValidationError("--daily-units must be positive") }
        switch (baselineErrorRate, baselineMean) {
        case (let rate?, nil):
            guard rate > 0, rate < 1, detect > 0, detect < 1 else { throw ValidationError("rates must be between 0 and 1") }
        case (nil, _?):
            guard let deviation = standardDeviation, deviation > 0 else {
                throw ValidationError("--baseline-mean needs a positive --standard-deviation")
            }
        default:
            throw ValidationError("pass --baseline-error-rate or --baseline-mean (with --standard-deviation)")
        }
        guard power > 0, power < 1 else { throw ValidationError("--power must be between 0 and 1") }
    }

    func run() throws {
        print(try table())
    }

    /// The planner's table for the options given.
    func table() throws -> String {
        let rolloutPlan: RolloutPlan
        if let plan {
            do {
                // The same file as `rollout start --plan`, where the flag comes from the command line.
                guard case .object(var members) = try readJSON(plan) else { throw ValidationError("\(plan): a plan must be a JSON object") }
                if members["flag"] == nil { members["flag"] = "flag" }
                rolloutPlan = try RolloutPlan(json: .object(members))
            } catch let error as RolloutError {
                throw ValidationError("\(plan): \(error.description)")
            }
        } else {
            rolloutPlan = .standard(flag: "flag", control: "control", treatment: "treatment")
        }
        let baseline: RolloutPlanner.Baseline =
            if let rate = baselineErrorRate { .rate(rate) } else { .mean(baselineMean ?? 0, standardDeviation: standardDeviation ?? 1) }
        let comparisons = metrics ?? max(1, rolloutPlan.guardrails.count * rolloutPlan.comparedStages)
        let planner = RolloutPlanner(
            dailyUnits: dailyUnits, baseline: baseline, regressed: detect, power: power, alpha: rolloutPlan.alpha, metrics: comparisons,
            tuning: rolloutPlan.tuning)
        return planner.table(for: rolloutPlan)
    }
}
