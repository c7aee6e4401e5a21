import SwitchyardCore

/// The outcome of one evaluation: the value served and why.
public struct FlagDetails<Value: Sendable>: Sendable {
    /// The flag's key.
    public var flag: String
    /// The value to use: the flag's variant, or the code default when the flag could not serve one.
    public var value: Value
    /// The variant served, `nil` when the code default was served.
    public var variant: String?
    /// Why this value (`TARGETING_MATCH`, `STATIC`, `DEFAULT`, `DISABLED`, `ERROR`); `DISABLED` with
    /// the safe variant while the flag is killed.
    public var reason: EvaluationReason
    /// What went wrong, set exactly when ``reason`` is `ERROR` (`FLAG_NOT_FOUND`, `TYPE_MISMATCH`, ...).
    public var errorCode: EvaluationErrorCode?
    /// A sentence saying what went wrong.
    public var errorMessage: String?
    /// The flag's metadata (flag-set metadata overlaid with the flag's own), including the kill
    /// marker while the flag is killed.
    public var metadata: [String: JSONValue]

    public init(
        flag: String, value: Value, variant: String?, reason: EvaluationReason, errorCode: EvaluationErrorCode? = nil,
        errorMessage: String? = nil, metadata: [String: JSONValue] = [:]
    ) {
        self.flag = flag
        self.value = value
        self.variant = variant
        self.reason = reason
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.metadata = metadata
    }

    /// Whether the flag is killed (by a person, a server guardrail or this process's breaker): it
    /// serves its safe variant to everyone until unkilled.
    public var isKilled: Bool { metadata["killed"] == .bool(true) }

    /// Why the flag was killed, while it is.
    public var killReason: String? { isKilled ? metadata["killReason"]?.stringValue : nil }
}

extension FlagDetails: Equatable where Value: Equatable {}
