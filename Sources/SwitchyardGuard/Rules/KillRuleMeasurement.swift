import SwitchyardCore

/// The numbers behind one evaluation of a kill rule, for the audit log and the alert.
public struct KillRuleMeasurement: Sendable, Hashable, CustomStringConvertible {
    /// How the evidence was obtained.
    public enum Method: String, Sendable, Hashable {
        /// The Wilson score bound of a rate.
        case wilson
        /// Cox's bound of a log-normal mean from log-scale moments.
        case logNormalMean
        /// The Wilson bound of the share of values above the threshold (a quantile above the
        /// threshold is the same as more than 1 − q of the values above it).
        case exceedance
        /// A bound on the difference of log-scale means, treatment minus control.
        case logRatio
        /// The SPRT/CUSUM fast path.
        case cusum
    }

    public var method: Method
    /// The metric's point estimate in the window (rate, mean, quantile or ratio).
    public var observed: Double?
    /// The one-sided bound compared with the threshold (for `cusum`, the CUSUM statistic).
    public var bound: Double?
    /// The value the bound is compared with (for `cusum`, the alarm threshold).
    public var limit: Double
    /// Observations in the window (outputs, or ratings for feedback).
    public var samples: Int
    /// The first and last instant of the data considered.
    public var from: Timestamp
    public var through: Timestamp

    /// Whether this measurement is evidence for a trip.
    public var breaches: Bool

    public var description: String {
        let observedText = observed.map { KillRule.format(($0 * 10_000).rounded() / 10_000) } ?? "n/a"
        let boundText = bound.map { KillRule.format(($0 * 10_000).rounded() / 10_000) } ?? "n/a"
        return "\(method.rawValue): observed \(observedText), bound \(boundText) vs \(KillRule.format(limit)), \(samples) samples"
    }

    /// The measurement as JSON, for the audit log.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "method": .string(method.rawValue),
            "limit": .double(limit),
            "samples": .integer(Int64(samples)),
            "from": .integer(from.millisecondsSinceEpoch),
            "through": .integer(through.millisecondsSinceEpoch),
            "breaches": .bool(breaches),
        ]
        if let observed, observed.isFinite { members["observed"] = .double(observed) }
        if let bound, bound.isFinite { members["bound"] = .double(bound) }
        return .object(members)
    }
}
