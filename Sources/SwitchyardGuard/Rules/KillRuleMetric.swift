/// A per-output quantity that kill rules can bound by its mean, a quantile or its ratio to control.
public enum OutputQuantity: String, Sendable, Hashable, CaseIterable {
    case outputChars
    case outputWords
    case latencyMs
    case tokensIn
    case tokensOut

    /// The quantity's moments in a window.
    func moments(in totals: ArmTotals) -> Moments {
        switch self {
        case .outputChars: totals.chars
        case .outputWords: totals.words
        case .latencyMs: totals.latencyMs
        case .tokensIn: totals.tokensIn
        case .tokensOut: totals.tokensOut
        }
    }

    /// Whether windows keep a quantile sketch of the quantity.
    var hasSketch: Bool { self == .outputChars || self == .outputWords || self == .latencyMs }

    /// The quantity's quantile sketch in a window, when one is kept.
    func sketch(in totals: ArmTotals) -> QuantileSketch? {
        switch self {
        case .outputChars: totals.charsSketch
        case .outputWords: totals.wordsSketch
        case .latencyMs: totals.latencySketch
        case .tokensIn, .tokensOut: nil
        }
    }

    /// The name with its first letter capitalized, as in `meanOutputChars` or `p95LatencyMs`.
    var capitalizedName: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// A proportion that kill rules can bound.
public enum RateMetric: String, Sendable, Hashable, CaseIterable {
    /// Outputs that are errors, per output.
    case errorRate
    /// Outputs with finish reason `empty`, per output.
    case emptyRate
    /// Outputs with finish reason `length` (truncated), per output.
    case truncationRate
    /// Outputs with finish reason `refused`, per output.
    case refusalRate
    /// Thumbs-down ratings, per rating.
    case negativeFeedbackRate
    /// Outputs edited, per output (capped at 1).
    case editRate
    /// Actions taken, per output (capped at 1).
    case actionRate

    /// The events counted (`successes`) and the trials they are counted among, in a window.
    func counts(in totals: ArmTotals) -> (events: Int, trials: Int) {
        switch self {
        case .errorRate: (totals.errors, totals.outputs)
        case .emptyRate: (totals.outputs(finishing: .empty), totals.outputs)
        case .truncationRate: (totals.outputs(finishing: .length), totals.outputs)
        case .refusalRate: (totals.outputs(finishing: .refused), totals.outputs)
        case .negativeFeedbackRate: (totals.negativeFeedback, totals.negativeFeedback + totals.positiveFeedback)
        case .editRate: (min(totals.edits, totals.outputs), totals.outputs)
        case .actionRate: (min(totals.actions, totals.outputs), totals.outputs)
        }
    }
}

/// What a kill rule measures.
public enum KillRuleMetric: Sendable, Hashable {
    /// A proportion: `errorRate`, `negativeFeedbackRate`, ...
    case rate(RateMetric)
    /// The mean of a quantity: `meanOutputChars`, `meanLatencyMs`, ...
    case mean(OutputQuantity)
    /// A quantile of a quantity, in percent: `p95LatencyMs`, `p99OutputChars`.
    case quantile(percent: Int, OutputQuantity)
    /// The treatment's typical value over the control's: `outputChars ratio vs control`.
    case ratioToControl(OutputQuantity)

    /// The metric as written in a rule.
    public var name: String {
        switch self {
        case .rate(let rate): rate.rawValue
        case .mean(let quantity): "mean\(quantity.capitalizedName)"
        case .quantile(let percent, let quantity): "p\(percent)\(quantity.capitalizedName)"
        case .ratioToControl(let quantity): "\(quantity.rawValue) ratio vs control"
        }
    }

    /// Reads a metric name (without `ratio vs control`); `nil` when unknown.
    init?(name: String) {
        if let rate = RateMetric(rawValue: name) {
            self = .rate(rate)
            return
        }
        for quantity in OutputQuantity.allCases {
            if name == "mean\(quantity.capitalizedName)" {
                self = .mean(quantity)
                return
            }
            if name.hasPrefix("p"), name.hasSuffix(quantity.capitalizedName), quantity.hasSketch {
                let digits = name.dropFirst().dropLast(quantity.capitalizedName.count)
                if digits.count == 2, let percent = Int(digits), (1...99).contains(percent) {
                    self = .quantile(percent: percent, quantity)
                    return
                }
            }
        }
        return nil
    }

    /// Every metric name a rule accepts, for error messages.
    static var knownNames: String {
        let rates = RateMetric.allCases.map(\.rawValue)
        let means = OutputQuantity.allCases.map { "mean\($0.capitalizedName)" }
        return (rates + means + ["p50LatencyMs", "p95OutputChars", "p99OutputWords (any pNN of outputChars, outputWords, latencyMs)"])
            .joined(separator: ", ")
    }
}
