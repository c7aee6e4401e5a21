/// A validated flagd flag-definition document with its targeting compiled.
///
/// A document is an immutable snapshot: load it once, then evaluate from any number of threads.
public struct FlagDocument: Sendable {
    /// The flags by key.
    public let flags: [String: Flag]
    /// Flag-set metadata (`metadata` at the top level).
    public let metadata: [String: JSONValue]
    /// Shared rules (`$evaluators`) as written.
    public let evaluators: [String: JSONValue]
    /// The `fractional` hashing generation evaluations use.
    public let fractionalHashing: FractionalHashing
    /// Problems flagd tolerates that were found while loading (empty in ``LoadOptions/Strictness/authoring`` mode,
    /// where they are errors).
    public let warnings: [DocumentProblem]
    /// ``flags`` again, for lookups on the evaluation path.
    let flagTable: KeyTable<Flag>

    init(
        flags: [String: Flag], metadata: [String: JSONValue], evaluators: [String: JSONValue],
        fractionalHashing: FractionalHashing, warnings: [DocumentProblem]
    ) {
        self.flags = flags
        self.metadata = metadata
        self.evaluators = evaluators
        self.fractionalHashing = fractionalHashing
        self.warnings = warnings
        flagTable = KeyTable(flags.map { ($0.key, $0.value) })
    }

    /// The document as flagd JSON: `flags`, `$evaluators` and `metadata`, with targeting as written
    /// (shared rules still referenced by `$ref`).
    public var json: JSONValue {
        var document: [String: JSONValue] = ["flags": .object(flags.mapValues(\.definition))]
        if !evaluators.isEmpty { document["$evaluators"] = .object(evaluators) }
        if !metadata.isEmpty { document["metadata"] = .object(metadata) }
        if fractionalHashing != .v3 { document[FlagDocument.fractionalHashingKey] = .string(fractionalHashing.rawValue) }
        return .object(document)
    }

    /// The top-level member that selects the `fractional` hashing generation (`"v2"` or `"v3"`).
    /// flagd ignores unknown top-level members, so a document carrying it still loads in flagd.
    public static let fractionalHashingKey = "fractionalHashing"
}

/// One flag of a document, immutable once loaded.
public final class Flag: Sendable {
    /// Whether targeting runs (`ENABLED`) or the flag resolves to `DISABLED`.
    public enum State: String, Sendable {
        case enabled = "ENABLED"
        case disabled = "DISABLED"
    }

    /// The flag's key.
    public let key: String
    /// `ENABLED` or `DISABLED`.
    public let state: State
    /// Variant names and their values.
    public let variants: [String: JSONValue]
    /// The variant served when targeting does not pick one; `nil` serves the caller's default.
    public let defaultVariant: String?
    /// Flag-level metadata as written.
    public let metadata: [String: JSONValue]
    /// Flag-set metadata overlaid with the flag's own: what every result of this flag carries.
    public let resultMetadata: [String: JSONValue]
    /// The flag object as written, `$ref`s unresolved.
    public let definition: JSONValue
    /// The compiled targeting, `nil` when there is none (absent or `{}`).
    let targeting: (any Rule)?
    /// Whether targeting may read `$flagd.timestamp`, so the clock is only read when it matters.
    let readsTimestamp: Bool
    /// Whether the flag carries Switchyard's kill marker (`metadata.killed: true`): it then serves
    /// its safe variant with reason `DISABLED` instead of `STATIC`.
    public let isKilled: Bool
    /// ``variants`` again, for lookups on the evaluation path.
    let variantTable: KeyTable<JSONValue>
    /// How much work one evaluation of the flag may do.
    let budget: EvaluationBudget

    init(
        key: String, state: State, variants: [String: JSONValue], defaultVariant: String?, metadata: [String: JSONValue],
        resultMetadata: [String: JSONValue], definition: JSONValue, targeting: (any Rule)?, readsTimestamp: Bool, budget: EvaluationBudget
    ) {
        self.budget = budget
        self.key = key
        self.state = state
        self.variants = variants
        self.defaultVariant = defaultVariant
        self.metadata = metadata
        self.resultMetadata = resultMetadata
        self.definition = definition
        self.targeting = targeting
        self.readsTimestamp = readsTimestamp
        self.isKilled = metadata["killed"] == .bool(true)
        variantTable = KeyTable(variants.map { ($0.key, $0.value) })
    }

    /// Whether `metadata.permanent` is `true`: a kill switch that is never cleaned up.
    public var isPermanent: Bool { metadata["permanent"] == .bool(true) }
}
