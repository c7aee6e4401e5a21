import SwitchyardCore
import SwitchyardTestSupport
import Testing

@testable import SwitchyardGuard

@Suite struct VariantReportTests {
    static let start = Timestamp(millisecondsSinceEpoch: 1_732_500_000_000)

    static func report(treatment: VariantBehaviour, units: Int, seed: UInt64, dropTreatmentExposures: Double = 0) -> VariantReport {
        var traffic = SimulatedTraffic(seed: seed, behaviours: ["off": VariantBehaviour(), "on": treatment])
        var aggregator = Aggregator()
        var drop = SeededRandom(seed: seed &+ 1)
        for index in 0..<units {
            let variant = index % 2 == 0 ? "off" : "on"
            if variant == "on", drop.chance(dropTreatmentExposures) { continue }
            traffic.unit("u-\(index)", variant: variant, at: start + .seconds(Int64(index) * 3), into: &aggregator)
        }
        return VariantReport(aggregator, flag: "ai", control: "off", weights: ["off": 50, "on": 50], now: start + .seconds(Int64(units) * 3))
    }

    @Test func flagsAnErrorRegressionAndNothingElse() throws {
        let report = Self.report(treatment: VariantBehaviour(errorRate: 0.10), units: 6000, seed: 11)
        let treatment = try #require(report.treatments.first)
        #expect(treatment.variant == "on")
        #expect(treatment.regressions.map(\.metric) == [.errorRate])
        let errors = try #require(treatment.comparisons.first { $0.metric == .errorRate })
        #expect(errors.lower > 0 && errors.lower < errors.difference && errors.difference < errors.upper)
        #expect(abs(errors.difference - 0.08) < 0.02)
        #expect(report.sampleRatio?.isHealthy == true)
        #expect(report.arm("off")?.units == 3000 && report.arm("on")?.units == 3000)
    }

    @Test func findsLongerOutputsAndFewerActions() throws {
        let report = Self.report(treatment: VariantBehaviour(medianChars: 3600, actionRate: 0.2), units: 4000, seed: 12)
        let regressions = Set(try #require(report.treatments.first).regressions.map(\.metric))
        #expect(regressions.isSuperset(of: [.meanOutputChars, .actionRate]))
        #expect(!regressions.contains(.errorRate))
    }

    @Test func declaresNonInferiorityWithinTheMargin() throws {
        var options = VariantReport.Options(metrics: [.errorRate])
        options.nonInferiorityMargins = [.errorRate: 0.02]
        var traffic = SimulatedTraffic(seed: 13, behaviours: ["off": VariantBehaviour(), "on": VariantBehaviour()])
        var aggregator = Aggregator()
        for index in 0..<20_000 {
            traffic.unit("u-\(index)", variant: index % 2 == 0 ? "off" : "on", at: Self.start + .seconds(Int64(index)), into: &aggregator)
        }
        let report = VariantReport(aggregator, flag: "ai", control: "off", now: Self.start + .seconds(20_000), options: options)
        #expect(report.treatments.first?.comparisons.first?.verdict == .nonInferior)
    }

    @Test func flagsASampleRatioMismatchWhenAFifthOfOneArmIsDropped() {
        let report = Self.report(treatment: VariantBehaviour(), units: 6000, seed: 14, dropTreatmentExposures: 0.2)
        #expect(report.sampleRatio?.isHealthy == false)
        #expect((report.sampleRatio?.pValue ?? 1) < SampleRatioCheck.threshold)
    }

    @Test func printsAnAlignedTableWithSparklines() throws {
        let report = Self.report(treatment: VariantBehaviour(errorRate: 0.10), units: 6000, seed: 15)
        let table = report.table
        print(table)
        let lines = table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let errorLine = try #require(lines.first { $0.hasPrefix("errorRate") })
        #expect(errorLine.contains("regression"))
        #expect(errorLine.contains { "▁▂▃▄▅▆▇█".contains($0) })
        let header = try #require(lines.first { $0.hasPrefix("metric") })
        let verdictColumn = try #require(header.range(of: "verdict")).lowerBound.utf16Offset(in: header)
        for line in lines where line.hasPrefix("errorRate") || line.hasPrefix("latencyMs") {
            let index = line.index(line.startIndex, offsetBy: verdictColumn)
            #expect(line[index...].hasPrefix("regression") || line[index...].hasPrefix("noEvidence"), "\(line)")
        }
        #expect(table.contains("sample ratio: healthy"))
        #expect(report.json["treatments"]?.arrayValue?.first?["comparisons"]?.arrayValue?.count == GuardrailMetric.allCases.count)
    }
}
