/// One-sided bounds of a proportion from the Wilson score interval (Wilson 1927), which stays
/// sane for small samples and rates near 0 or 1:
/// `LB = (p + z²/2n − z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n)`.
public enum WilsonBound {
    /// The lower bound of the rate `successes / trials`; 0 without trials.
    public static func lower(successes: Int, trials: Int, z: Double) -> Double {
        guard trials > 0 else { return 0 }
        let (center, spread) = parts(successes: successes, trials: trials, z: z)
        return max(0, center - spread)
    }

    /// The upper bound of the rate `successes / trials`; 1 without trials.
    public static func upper(successes: Int, trials: Int, z: Double) -> Double {
        guard trials > 0 else { return 1 }
        let (center, spread) = parts(successes: successes, trials: trials, z: z)
        return min(1, center + spread)
    }

    private static func parts(successes: Int, trials: Int, z: Double) -> (center: Double, spread: Double) {
        let n = Double(trials)
        let p = Double(min(successes, trials)) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let spread = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        return (center, spread)
    }
}
