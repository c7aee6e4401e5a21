/// One-sided normal-approximation bounds of a mean, `x̄ ∓ z·s/√n`.
///
/// Callers pass log-scale moments (`ln(1 + x)`) for heavy-tailed quantities such as output
/// length and latency, as the spec recommends, and transform the bound back with `expm1`.
public enum MeanBound {
    /// The lower bound of the mean; `-infinity` with fewer than two observations.
    public static func lower(mean: Double, variance: Double, count: Int, z: Double) -> Double {
        guard count > 1 else { return -.infinity }
        return mean - z * (variance / Double(count)).squareRoot()
    }

    /// The upper bound of the mean; `+infinity` with fewer than two observations.
    public static func upper(mean: Double, variance: Double, count: Int, z: Double) -> Double {
        guard count > 1 else { return .infinity }
        return mean + z * (variance / Double(count)).squareRoot()
    }
}
