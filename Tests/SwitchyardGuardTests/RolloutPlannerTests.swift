import Testing

@testable import SwitchyardGuard

/// Reference numbers computed in Python (SciPy for the normal quantile) with the same formulas: the
/// smallest n with `Δ − half(SE, 2n, α) ≥ z_power·SE`, and the fixed-horizon z-test size.
@Suite struct RolloutPlannerTests {
    @Test func unitsPerArmMatchTheReference() {
        let small = RolloutPlanner(dailyUnits: 10_000, baseline: .rate(0.02), regressed: 0.03)
        #expect(abs(small.unitsPerArm - 6542) <= 1)
        #expect(small.fixedHorizonUnitsPerArm == 3011)
        let gross = RolloutPlanner(dailyUnits: 10_000, baseline: .rate(0.02), regressed: 0.06)
        #expect(abs(gross.unitsPerArm - 700) <= 1)
        #expect(gross.fixedHorizonUnitsPerArm == 294)
        let longer = RolloutPlanner(dailyUnits: 10_000, baseline: .mean(1000, standardDeviation: 1000), regressed: 1300)
        #expect(abs(longer.unitsPerArm - 385) <= 1)
    }

    @Test func smallStagesCanOnlyCatchGrossFailures() throws {
        let planner = RolloutPlanner(dailyUnits: 10_000, baseline: .rate(0.02), regressed: 0.03)
        let estimates = planner.estimates(for: .standard(flag: "ai", control: "off", treatment: "on"))
        print(planner.table(for: .standard(flag: "ai", control: "off", treatment: "on")))
        #expect(estimates.map(\.stage) == ["1%", "5%", "20%", "50%", "100%"])
        #expect(!estimates[0].catchesRegression)
        #expect(try #require(estimates[0].detectableChange) > 0.02)
        #expect(estimates[2].catchesRegression && estimates[3].catchesRegression)
        let firstDays = try #require(estimates[0].daysNeeded)
        let secondDays = try #require(estimates[1].daysNeeded)
        #expect(firstDays > secondDays)
        #expect(estimates[4].daysNeeded == nil)
    }
}
