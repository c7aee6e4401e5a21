/// The attributes a flag is evaluated against: a targeting key plus any JSON attributes.
///
/// Build one per user or request and reuse it: it indexes its attributes once, so evaluations
/// read them without hashing.
public struct EvaluationContext: Sendable, Equatable {
    /// Every attribute, the targeting key included under `targetingKey`.
    public let attributes: [String: JSONValue]
    /// The targeting key, when it is a string.
    public let targetingKey: String?
    /// `keyHash` of ``targetingKey`` (0 without one), so that callers that fingerprint the unit
    /// on every evaluation hash it once.
    package let targetingKeyHash: UInt64
    private let index: KeyTable<JSONValue>

    /// A context from raw attributes (as an OFREP request carries them).
    public init(attributes: [String: JSONValue] = [:]) {
        self.attributes = attributes
        index = KeyTable(attributes.map { ($0.key, $0.value) })
        targetingKey = index["targetingKey", hash: Self.targetingKeyNameHash]?.stringValue
        targetingKeyHash = targetingKey.map(keyHash) ?? 0
    }

    /// A context for one unit (a user, an account) and its attributes.
    public init(targetingKey: String?, attributes: [String: JSONValue] = [:]) {
        var attributes = attributes
        if let targetingKey { attributes["targetingKey"] = .string(targetingKey) }
        self.init(attributes: attributes)
    }

    /// The value of one attribute.
    func value(for key: String, hash: UInt64) -> JSONValue? {
        index[key, hash: hash]
    }

    /// Lends the value of one attribute to `body` without copying it.
    func withValue<Result>(of key: String, hash: UInt64, _ body: (JSONValue?) -> Result) -> Result {
        index.withValue(of: key, hash: hash, body)
    }

    /// The hash of the attribute name `targetingKey`, which `fractional` reads.
    static let targetingKeyNameHash = keyHash("targetingKey")

    public static func == (left: EvaluationContext, right: EvaluationContext) -> Bool {
        left.attributes == right.attributes
    }
}
