#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One-sided bounds of the mean of a heavy-tailed positive quantity (output length, latency) from
/// its log-scale moments, by Cox's method for a log-normal mean (Land 1971; Zhou & Gao, "Confidence
/// intervals for the log-normal mean", Stat. Med. 1997): with μ and σ² the mean and variance of
/// `ln(1 + X)`, `ln E[1 + X] = μ + σ²/2` with variance `σ²/n + σ⁴/(2(n − 1))`.
public enum LogNormalMeanBound {
    /// The lower bound of E[X]; `-infinity` with fewer than two observations.
    public static func lower(_ moments: Moments, z: Double) -> Double {
        guard let (center, spread) = parts(moments, z: z) else { return -.infinity }
        return expm1(center - spread)
    }

    /// The upper bound of E[X]; `+infinity` with fewer than two observations.
    public static func upper(_ moments: Moments, z: Double) -> Double {
        guard let (center, spread) = parts(moments, z: z) else { return .infinity }
        return expm1(center + spread)
    }

    private static func parts(_ moments: Moments, z: Double) -> (center: Double, spread: Double)? {
        guard moments.count > 1 else { return nil }
        let n = Double(moments.count)
        let variance = moments.logVariance
        return (moments.logMean + variance / 2, z * (variance / n + variance * variance / (2 * (n - 1))).squareRoot())
    }
}
