import Foundation
import SwitchyardCore
import SwitchyardGuard
import SwitchyardTestSupport
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

    @Test func theTemplateIsAFileBothPlanAndRolloutStartRead() throws {
        var plan = RolloutPlan.template(flag: "ai-document-summary", control: "off", treatment: "on").json
        guard case .object(var members) = plan else { return }
        members["flag"] = nil  // a file for `rollout start --plan`, where the command line names the flag
        plan = .object(members)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString).json").path
        try plan.serialized(pretty: true).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let table = try Plan.parse(["--daily-units", "10000", "--baseline-error-rate", "0.02", "--detect", "0.03", "--plan", path]).table()
        #expect(table.contains("internal"))
        #expect(table.contains("100% "))
    }
}
