import SwitchyardCore

extension EvaluationContext {
    /// A context for one user: the targeting key plus typed attributes.
    ///
    /// ```swift
    /// let context = EvaluationContext.user("u-42", ["email": "a@acme.com", "tier": "enterprise", "beta": true])
    /// ```
    public static func user(_ targetingKey: String, _ attributes: [String: JSONValue] = [:]) -> EvaluationContext {
        EvaluationContext(targetingKey: targetingKey, attributes: attributes)
    }
}
