import SwitchyardTestSupport
import Testing

@testable import SwitchyardGuard

/// Reference values computed with Python 3 and SciPy (`scipy.stats`, `scipy.special`), or with the
/// spec's formulas evaluated in Python.
@Suite struct StatisticsTests {
    static func close(_ value: Double, _ reference: Double, relative: Double = 1e-9) -> Bool {
        abs(value - reference) <= relative * max(abs(reference), 1e-300)
    }

    @Test func chiSquaredSurvivalMatchesSciPy() {
        // scipy.stats.chi2.sf(x, df)
        #expect(Self.close(ChiSquared.survival(3.84, degreesOfFreedom: 1), 0.05004352124870519))
        #expect(Self.close(ChiSquared.survival(10, degreesOfFreedom: 3), 0.01856613546304325))
        #expect(Self.close(ChiSquared.survival(25.3, degreesOfFreedom: 4), 4.378319550938773e-05, relative: 1e-8))
        #expect(Self.close(ChiSquared.survival(150, degreesOfFreedom: 120), 0.03307348091130466, relative: 1e-8))
        #expect(Self.close(ChiSquared.survival(0.5, degreesOfFreedom: 2), 0.7788007830714049))
        // scipy.special.gammaincc(a, x)
        #expect(Self.close(ChiSquared.regularizedUpperGamma(2.5, 3.0), 0.30621891841327875))
        #expect(Self.close(ChiSquared.regularizedUpperGamma(0.5, 0.1), 0.6547208460185768))
        #expect(Self.close(ChiSquared.regularizedUpperGamma(50, 45), 0.7531979655998298, relative: 1e-8))
    }

    @Test func normalQuantileAndCDFMatchSciPy() {
        #expect(Self.close(NormalDistribution.quantile(0.99), 2.3263478740408408))
        #expect(Self.close(NormalDistribution.quantile(0.975), 1.959963984540054))
        #expect(Self.close(NormalDistribution.quantile(1e-6), -4.753424308822899))
        #expect(Self.close(NormalDistribution.quantile(0.8), 0.8416212335729143))
        #expect(Self.close(NormalDistribution.cdf(-3.1), 0.0009676032132183563))
        #expect(Self.close(NormalDistribution.cdf(1.2), 0.8849303297782918))
    }

    @Test func wilsonBoundsMatchTheFormula() {
        #expect(Self.close(WilsonBound.lower(successes: 7, trials: 50, z: 2.33), 0.061085930589714586))
        #expect(WilsonBound.lower(successes: 0, trials: 50, z: 2.33) == 0)
        #expect(Self.close(WilsonBound.lower(successes: 50, trials: 50, z: 2.33), 0.902056508427914))
        #expect(Self.close(WilsonBound.upper(successes: 1, trials: 200, z: 2.33), 0.035476814021086905))
    }

    @Test func confidenceSequenceHalfWidthMatchesTheSpecFormula() {
        #expect(Self.close(ConfidenceSequence.halfWidth(standardError: 0.004, count: 8000, alpha: 0.05), 0.011151387235270156))
        #expect(
            Self.close(ConfidenceSequence.halfWidth(standardError: 0.02, count: 1000, alpha: 0.0125, tuning: 2000), 0.06655285241730344)
        )
    }

    @Test func logNormalMeanBoundsMatchCoxsFormula() {
        // Log-scale mean 7, variance 0.36, n = 100; the natural-scale sums do not enter the bound.
        let moments = Moments(count: 100, sum: 0, sumOfSquares: 0, sumOfLogs: 700, sumOfLogSquares: 99 * 0.36 + 4900)
        #expect(Self.close(LogNormalMeanBound.lower(moments, z: 2.33), 1126.7969162925126, relative: 1e-9))
        #expect(Self.close(LogNormalMeanBound.upper(moments, z: 2.33), 1527.4029151597524, relative: 1e-9))
        #expect(LogNormalMeanBound.lower(Moments(), z: 2.33) == -.infinity)
    }

    @Test func deltaMethodVarianceMatchesAHandComputation() {
        var moments = RatioMoments()
        for (x, y) in [(2.0, 1.0), (3.0, 0.0), (1.0, 1.0), (4.0, 2.0)] { moments.add(x: x, y: y) }
        // R = 4/10; s²_X = 5/3, s²_Y = 2/3, s_XY = 1/3; Var = (2/3 − 0.8·1/3 + 0.16·5/3)/(4·2.5²)
        #expect(Self.close(moments.ratio, 0.4))
        let expected: Double = (2.0 / 3 - 0.8 / 3 + 0.16 * 5.0 / 3) / 25
        #expect(Self.close(moments.ratioVariance, expected, relative: 1e-12))
    }

    @Test func cusumCatchesAJumpFromTwoToEightPercentWithinTensOfRequests() {
        var cusum = BernoulliCUSUM(p0: 0.02, p1: 0.08, alpha: 0.001, beta: 0.01)
        var requests = 0
        var random = SeededRandom(seed: 3)
        while !cusum.alarms, requests < 10_000 {
            cusum.observe(failures: random.chance(0.08) ? 1 : 0, trials: 1)
            requests += 1
        }
        #expect(cusum.alarms)
        #expect(requests < 200)
    }

    @Test func cusumStaysQuietAtTheBaselineRate() {
        var cusum = BernoulliCUSUM(p0: 0.02, p1: 0.08)
        var random = SeededRandom(seed: 4)
        for _ in 0..<100_000 { cusum.observe(failures: random.chance(0.02) ? 1 : 0, trials: 1) }
        #expect(!cusum.alarms)
    }

    @Test func sampleRatioMismatchFlagsADroppedFifthOfOneArm() {
        let healthy = SampleRatioCheck(observed: ["on": 4_980, "off": 5_020], weights: ["on": 50, "off": 50])
        #expect(healthy.isHealthy)
        let broken = SampleRatioCheck(observed: ["on": 4_000, "off": 5_000], weights: ["on": 50, "off": 50])
        #expect(!broken.isHealthy)
        #expect(broken.pValue < 1e-20)
        let crossed = SampleRatioCheck(observed: ["on": 5_000, "off": 5_000], weights: ["on": 1, "off": 1], multiplyExposedUnits: 40)
        #expect(!crossed.isHealthy)
    }
}
