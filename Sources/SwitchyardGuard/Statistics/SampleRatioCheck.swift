/// The sample ratio mismatch check of spec §3: a chi-squared goodness-of-fit test of the units per
/// variant against the configured weights, `χ² = Σ (O_k − E_k)²/E_k`, df = K − 1, failing at
/// p < 0.001. Units seen in more than one variant (multiple exposure) fail it too once they are
/// more than 0.1 % of all units (a handful of changed targeting keys is not a broken split).
public struct SampleRatioCheck: Sendable, Hashable {
    /// The p-value below which the split is declared broken.
    public static let threshold = 0.001
    /// The share of multiply exposed units above which the split is declared broken.
    public static let maximumMultipleExposureShare = 0.001

    /// Units observed per variant.
    public let observed: [String: Int]
    /// Units expected per variant from the configured weights.
    public let expected: [String: Double]
    public let chiSquared: Double
    public let pValue: Double
    /// Units seen in more than one variant.
    public let multiplyExposedUnits: Int

    /// - Parameters:
    ///   - observed: units per variant.
    ///   - weights: the configured split, in any unit (percentages, fractional weights).
    ///   - multiplyExposedUnits: units seen in more than one variant.
    public init(observed: [String: Int], weights: [String: Double], multiplyExposedUnits: Int = 0) {
        let total = Double(observed.values.reduce(0, +))
        let weightTotal = weights.values.reduce(0, +)
        var expected: [String: Double] = [:]
        var chiSquared = 0.0
        for (variant, weight) in weights where weight > 0 {
            let expectedCount = weightTotal > 0 ? total * weight / weightTotal : 0
            expected[variant] = expectedCount
            let observedCount = Double(observed[variant] ?? 0)
            if expectedCount > 0 { chiSquared += (observedCount - expectedCount) * (observedCount - expectedCount) / expectedCount }
        }
        let unexpectedUnits = observed.filter { (weights[$0.key] ?? 0) <= 0 }.values.reduce(0, +)
        self.observed = observed
        self.expected = expected
        self.chiSquared = chiSquared
        self.multiplyExposedUnits = multiplyExposedUnits
        let degrees = expected.count - 1
        if unexpectedUnits > 0 {
            self.pValue = 0
        } else {
            self.pValue = degrees > 0 && total > 0 ? ChiSquared.survival(chiSquared, degreesOfFreedom: degrees) : 1
        }
    }

    /// Whether the split can be trusted: p ≥ 0.001, no units in unconfigured variants and few
    /// enough units seen in two variants.
    public var isHealthy: Bool {
        let units = observed.values.reduce(0, +)
        return pValue >= Self.threshold && Double(multiplyExposedUnits) <= Self.maximumMultipleExposureShare * Double(units)
    }
}
