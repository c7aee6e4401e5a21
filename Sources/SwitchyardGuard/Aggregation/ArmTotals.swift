/// Event-level totals of one arm (flag × variant, optionally one segment) over some span of time:
/// one minute as stored, or a window as the sum of its minutes. Mergeable by addition.
public struct ArmTotals: Sendable, Hashable {
    /// Exposure events (not distinct units; see ``UnitTotals`` for per-unit analysis).
    public var exposures = 0
    /// Output events.
    public var outputs = 0
    /// Outputs with `error` set or finish reason `error`.
    public var errors = 0
    /// Outputs per finish reason, indexed like `FinishReason.allCases`.
    public var finishReasons = [Int](repeating: 0, count: FinishReason.allCases.count)
    /// Length of the outputs that are not errors (an error's length says nothing about the model).
    public var chars = Moments()
    public var words = Moments()
    public var latencyMs = Moments()
    public var tokensIn = Moments()
    public var tokensOut = Moments()
    /// Quantiles of the lengths of the outputs that are not errors.
    public var charsSketch = QuantileSketch()
    public var wordsSketch = QuantileSketch()
    public var latencySketch = QuantileSketch()
    public var positiveFeedback = 0
    public var negativeFeedback = 0
    /// Edit events and the sum of their edit distances.
    public var edits = 0
    public var editDistance = 0
    public var actions = 0
    /// Local circuit breaker trips reported by clients.
    public var breakerTrips = 0

    public init() {}

    /// Outputs that ended for `reason`.
    public func outputs(finishing reason: FinishReason) -> Int {
        finishReasons[reason.index]
    }

    mutating func add(_ output: OutputEvent) {
        outputs += 1
        if output.isError { errors += 1 }
        finishReasons[output.finishReason.index] += 1
        latencyMs.add(output.latencyMs)
        latencySketch.add(output.latencyMs)
        tokensIn.add(Double(output.tokensIn))
        tokensOut.add(Double(output.tokensOut))
        guard !output.isError else { return }
        let chars = Double(output.chars)
        let words = Double(output.words)
        self.chars.add(chars)
        self.words.add(words)
        charsSketch.add(chars)
        wordsSketch.add(words)
    }

    /// Adds every event counted in `other`.
    ///
    /// - Parameter includingSketches: whether to merge the quantile sketches too, the costly part;
    ///   callers that read no quantile pass `false`, leaving the sketches as they were.
    public mutating func merge(_ other: ArmTotals, includingSketches: Bool = true) {
        exposures += other.exposures
        outputs += other.outputs
        errors += other.errors
        for index in finishReasons.indices { finishReasons[index] += other.finishReasons[index] }
        chars.merge(other.chars)
        words.merge(other.words)
        latencyMs.merge(other.latencyMs)
        tokensIn.merge(other.tokensIn)
        tokensOut.merge(other.tokensOut)
        if includingSketches {
            charsSketch.merge(other.charsSketch)
            wordsSketch.merge(other.wordsSketch)
            latencySketch.merge(other.latencySketch)
        }
        positiveFeedback += other.positiveFeedback
        negativeFeedback += other.negativeFeedback
        edits += other.edits
        editDistance += other.editDistance
        actions += other.actions
        breakerTrips += other.breakerTrips
    }
}

extension FinishReason {
    var index: Int {
        switch self {
        case .stop: 0
        case .length: 1
        case .error: 2
        case .refused: 3
        case .empty: 4
        }
    }
}
