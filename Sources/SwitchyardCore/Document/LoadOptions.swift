/// How a flag document is loaded.
public struct LoadOptions: Sendable {
    /// How much of flagd's schema is enforced.
    public enum Strictness: Sendable {
        /// Load whatever flagd loads; problems flagd only warns about (unknown operators, mixed
        /// variant types, unresolved `$ref`) are kept as ``FlagDocument/warnings``.
        case flagd
        /// Reject those problems too, and unknown flag members: what our own API accepts.
        case authoring
    }

    /// How much of flagd's schema is enforced.
    public var strictness: Strictness
    /// Hashing generation that overrides the document's own `fractionalHashing` member.
    public var fractionalHashing: FractionalHashing?
    /// Largest document text accepted, in bytes.
    public var maximumDocumentBytes: Int
    /// How much work one evaluation of a flag may do; beyond it the evaluation is a `GENERAL` error.
    public var evaluationBudget: EvaluationBudget

    public init(
        strictness: Strictness = .flagd, fractionalHashing: FractionalHashing? = nil, maximumDocumentBytes: Int = 8 << 20,
        evaluationBudget: EvaluationBudget = .default
    ) {
        self.strictness = strictness
        self.evaluationBudget = evaluationBudget
        self.fractionalHashing = fractionalHashing
        self.maximumDocumentBytes = maximumDocumentBytes
    }
}
