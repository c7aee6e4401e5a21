import Testing

@testable import switchyard

@Suite struct PlanCommandTests {
    @Test func theDefaultPlanSaysWhichStagesOnlyCatchGrossFailures() throws {
        let table = try Plan.parse(["--daily-units", "10000", "--baseline-error-rate", "0.02", "--detect", "0.03"]).table()
        let rows = table.split(separator: "\n").map(String.init)
        #expect(rows.first?.hasPrefix("units per arm (even split, continuous monitoring):") == true)
        #expect(rows.first { $0.hasPrefix("1% ") }?.contains("gross failures only") == true)
        #expect(rows.first { $0.hasPrefix("50% ") }?.contains("yes") == true)
        #expect(rows.first { $0.hasPrefix("100% ") }?.contains("no control arm") == true)
    }

    @Test func meansNeedAStandardDeviation() throws {
        #expect(throws: (any Error).self) { try Plan.parse(["--daily-units", "10000", "--baseline-mean", "1200", "--detect", "1500"]) }
        let table = try Plan.parse([
            "--daily-units", "10000", "--baseline-mean", "1200", "--standard-deviation", "600", "--detect", "1500",
        ]).table()
        #expect(table.contains("units per arm"))
    }

    @Test func aBaselineIsRequired() {
        #expect(throws: (any Error).self) { try Plan.parse(["--daily-units", "10000", "--detect", "0.03"]) }
    }
}
