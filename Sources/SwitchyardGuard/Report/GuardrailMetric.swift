#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A metric compared between control and treatment, analysed per exposed unit (spec §2): each
/// unit contributes a numerator Y and a denominator X, and the metric is `Σ Y / Σ X` with its
/// variance from the delta method (a per-unit mean is the case X = 1).
public enum GuardrailMetric: String, Sendable, Hashable, CaseIterable {
    /// Errors per output.
    case errorRate
    /// Empty outputs per output.
    case emptyRate
    /// Truncated outputs (finish reason `length`) per output.
    case truncationRate
    /// Refusals per output.
    case refusalRate
    /// The length of outputs that are not errors, in characters, as kill rules name it. Compared on
    /// the log scale (the mean of `ln(1 + chars)` per output), which the long tail of lengths does
    /// not dominate; two-sided. Reports show it in characters (the geometric mean of `1 + chars`,
    /// minus 1) and its difference as a ratio `e^d`.
    case meanOutputChars
    /// Mean latency per output, in milliseconds.
    case latencyMs
    /// Mean output tokens per output.
    case tokensOut
    /// Thumbs-down ratings per exposed unit (units without feedback count as 0).
    case negativeFeedbackPerUnit
    /// Edits per output.
    case editRate
    /// Actions per output; higher is better.
    case actionRate

    /// The metric by name; `logOutputChars`, its name before it was shown in characters, is read as
    /// ``meanOutputChars`` so that plans stored before still load.
    public init?(name: String) {
        if name == "logOutputChars" {
            self = .meanOutputChars
        } else {
            self.init(rawValue: name)
        }
    }

    /// Whether values are computed on the log scale (shown through ``shown(_:)``, differences as ratios).
    public var isLogScale: Bool { self == .meanOutputChars }

    /// A value as reports show it: characters for ``meanOutputChars``, unchanged otherwise.
    public func shown(_ value: Double) -> Double {
        isLogScale ? exp(value) - 1 : value
    }

    /// Which way is worse.
    public enum Direction: String, Sendable, Hashable {
        /// An increase is a regression.
        case lowerIsBetter
        /// A decrease is a regression.
        case higherIsBetter
        /// A change either way is a regression (output length).
        case either
    }

    public var direction: Direction {
        switch self {
        case .actionRate: .higherIsBetter
        case .meanOutputChars: .either
        default: .lowerIsBetter
        }
    }

    /// The unit's contribution: denominator X and numerator Y.
    func contribution(of unit: UnitTotals) -> (x: Double, y: Double) {
        let outputs = Double(unit.outputs)
        switch self {
        case .errorRate: return (outputs, Double(unit.errors))
        case .emptyRate: return (outputs, Double(unit.emptyOutputs))
        case .truncationRate: return (outputs, Double(unit.truncatedOutputs))
        case .refusalRate: return (outputs, Double(unit.refusedOutputs))
        case .meanOutputChars: return (Double(unit.completedOutputs), unit.logChars)
        case .latencyMs: return (outputs, unit.latencyMs)
        case .tokensOut: return (outputs, unit.tokensOut)
        case .negativeFeedbackPerUnit: return (1, Double(unit.negativeFeedback))
        case .editRate: return (outputs, Double(unit.edits))
        case .actionRate: return (outputs, Double(unit.actions))
        }
    }

    /// The metric computed on event-level totals (a minute or a window), for sparklines; `nil`
    /// without data. Negative feedback is per rating here, since totals do not know units.
    func value(in totals: ArmTotals) -> Double? {
        let outputs = Double(totals.outputs)
        switch self {
        case .errorRate: return outputs > 0 ? Double(totals.errors) / outputs : nil
        case .emptyRate: return outputs > 0 ? Double(totals.outputs(finishing: .empty)) / outputs : nil
        case .truncationRate: return outputs > 0 ? Double(totals.outputs(finishing: .length)) / outputs : nil
        case .refusalRate: return outputs > 0 ? Double(totals.outputs(finishing: .refused)) / outputs : nil
        case .meanOutputChars: return totals.chars.count > 0 ? totals.chars.logMean : nil
        case .latencyMs: return outputs > 0 ? totals.latencyMs.mean : nil
        case .tokensOut: return outputs > 0 ? totals.tokensOut.mean : nil
        case .negativeFeedbackPerUnit:
            let ratings = totals.negativeFeedback + totals.positiveFeedback
            return ratings > 0 ? Double(totals.negativeFeedback) / Double(ratings) : nil
        case .editRate: return outputs > 0 ? Double(totals.edits) / outputs : nil
        case .actionRate: return outputs > 0 ? Double(totals.actions) / outputs : nil
        }
    }
}
