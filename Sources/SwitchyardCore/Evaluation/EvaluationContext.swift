/// The attributes a flag is evaluated against: a targeting key plus any JSON attributes.
///
/// Build one per user or request and reuse it; evaluation reads it without copying.
public struct EvaluationContext: Sendable, Equatable {
    /// Every attribute, the targeting key included under `targetingKey`.
    public var attributes: [String: JSONValue]

    /// A context from raw attributes (as an OFREP request carries them).
    public init(attributes: [String: JSONValue] = [:]) {
        self.attributes = attributes
    }

    /// A context for one unit (a user, an account) and its attributes.
    public init(targetingKey: String?, attributes: [String: JSONValue] = [:]) {
        self.attributes = attributes
        if let targetingKey { self.attributes["targetingKey"] = .string(targetingKey) }
    }

    /// The targeting key, when it is a string.
    public var targetingKey: String? { attributes["targetingKey"]?.stringValue }
}
