/// Per-unit sums for a ratio metric `Σ Y / Σ X` (for example errors per output), from which the
/// delta method gives the variance; mergeable by addition.
///
/// A per-unit mean (negative feedback per exposed unit) is the special case X = 1.
public struct RatioMoments: Sendable, Hashable {
    /// Units.
    public private(set) var count = 0
    public private(set) var sumX = 0.0
    public private(set) var sumY = 0.0
    public private(set) var sumXX = 0.0
    public private(set) var sumYY = 0.0
    public private(set) var sumXY = 0.0

    public init() {}

    /// Moments from their sums, for example read back from storage or summed elsewhere.
    public init(count: Int, sumX: Double, sumY: Double, sumXX: Double, sumYY: Double, sumXY: Double) {
        self.count = count
        self.sumX = sumX
        self.sumY = sumY
        self.sumXX = sumXX
        self.sumYY = sumYY
        self.sumXY = sumXY
    }

    /// Adds every unit of `other`.
    public mutating func merge(_ other: RatioMoments) {
        count += other.count
        sumX += other.sumX
        sumY += other.sumY
        sumXX += other.sumXX
        sumYY += other.sumYY
        sumXY += other.sumXY
    }

    /// Adds one unit with denominator `x` and numerator `y`.
    public mutating func add(x: Double, y: Double) {
        count += 1
        sumX += x
        sumY += y
        sumXX += x * x
        sumYY += y * y
        sumXY += x * y
    }

    /// The ratio R = Ȳ/X̄, or 0 when X̄ is 0.
    public var ratio: Double { sumX > 0 ? sumY / sumX : 0 }

    /// The variance of R by the delta method:
    /// `Var(Ȳ/X̄) ≈ (1/(n·X̄²))·(s²_Y − 2R·s_XY + R²·s²_X)`.
    public var ratioVariance: Double {
        guard count > 1, sumX > 0 else { return .infinity }
        let n = Double(count)
        let meanX = sumX / n
        let r = ratio
        let varianceX = (sumXX - sumX * sumX / n) / (n - 1)
        let varianceY = (sumYY - sumY * sumY / n) / (n - 1)
        let covariance = (sumXY - sumX * sumY / n) / (n - 1)
        return max(0, (varianceY - 2 * r * covariance + r * r * varianceX) / (n * meanX * meanX))
    }
}
