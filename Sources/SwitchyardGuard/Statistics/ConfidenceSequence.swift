#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The asymptotic one-sided confidence sequence for a difference of means, always valid under
/// continuous monitoring (Howard, Ramdas, McAuliffe & Sekhon, "Time-uniform, nonparametric,
/// nonasymptotic confidence sequences", Ann. Statist. 2021; asymptotic form in Waudby-Smith et
/// al., arXiv 2103.06476, eq. 155), as in spec §2:
///
/// ```
/// ρ    = sqrt( (−2·ln(2α) + ln(1 − 2·ln(2α))) / S )
/// s²   = SE² · N
/// half = sqrt( s² · 2(Nρ²+1)/(Nρ)² · ln(1 + sqrt(Nρ²+1)/(2α)) )
/// ```
public enum ConfidenceSequence {
    /// The default tuning constant S: the sample at which one expects to decide.
    public static let defaultTuning = 5000.0

    /// The half-width of the interval around Δ after `count` units in total (both arms).
    ///
    /// - Parameters:
    ///   - standardError: SE of Δ, `sqrt(s²_T/n_T + s²_C/n_C)`.
    ///   - count: N = n_C + n_T.
    ///   - alpha: the error rate of this one-sided bound (already Bonferroni-split).
    ///   - tuning: S.
    public static func halfWidth(standardError: Double, count: Int, alpha: Double, tuning: Double = defaultTuning) -> Double {
        guard count > 0, standardError.isFinite else { return .infinity }
        let n = Double(count)
        let logTwoAlpha = log(2 * alpha)
        let rho = ((-2 * logTwoAlpha + log(1 - 2 * logTwoAlpha)) / tuning).squareRoot()
        let variance = standardError * standardError * n
        let nRho2 = n * rho * rho
        let nRhoSquared = nRho2 * n
        return (variance * 2 * (nRho2 + 1) / nRhoSquared * log(1 + (nRho2 + 1).squareRoot() / (2 * alpha))).squareRoot()
    }
}
