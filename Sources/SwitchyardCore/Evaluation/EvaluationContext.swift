/// The attributes a flag is evaluated against: a targeting key plus any JSON attributes.
///
/// Build one per user or request and reuse it: it indexes its attributes once, so evaluations
/// read them without hashing.
public struct EvaluationContext: Sendable, Equatable {
    /// Every attribute, the targeting key included under `targetingKey`.
    public let attributes: [String: JSONValue]
    private let index: KeyTable<JSONValue>

    /// A context from raw attributes (as an OFREP request carries them).
    public init(attributes: [String: JSONValue] = [:]) {
        self.attributes = attributes
        index = KeyTable(attributes.map { ($0.key, $0.value) })
    }

    /// A context for one unit (a user, an account) and its attributes.
    public init(targetingKey: String?, attributes: [String: JSONValue] = [:]) {
        var attributes = attributes
        if let targetingKey { attributes["targetingKey"] = .string(targetingKey) }
        self.init(attributes: attributes)
    }

    /// The targeting key, when it is a string.
    public var targetingKey: String? { value(for: "targetingKey", hash: Self.targetingKeyHash)?.stringValue }

    /// The value of one attribute.
    func value(for key: String, hash: UInt64) -> JSONValue? {
        index[key, hash: hash]
    }

    /// Lends the value of one attribute to `body` without copying it.
    func withValue<Result>(of key: String, hash: UInt64, _ body: (JSONValue?) -> Result) -> Result {
        index.withValue(of: key, hash: hash, body)
    }

    /// The hash of `targetingKey`, which `fractional` reads.
    static let targetingKeyHash = keyHash("targetingKey")

    public static func == (left: EvaluationContext, right: EvaluationContext) -> Bool {
        left.attributes == right.attributes
    }
}
