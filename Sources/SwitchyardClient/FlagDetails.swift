import SwitchyardCore

/// The outcome of one evaluation: the value served and why.
public struct FlagDetails<Value: Sendable>: Sendable {
    /// The flag's key.
    public var flag: String
    /// The value to use: the flag's variant, or the code default when the flag could not serve one.
    public var value: Value
    /// The variant served, `nil` when the code default was served.
    public var variant: String?
    /// Why this value (`TARGETING_MATCH`, `STATIC`, `DEFAULT`, `DISABLED`, `ERROR`).
    public var reason: EvaluationReason
    /// What went wrong, set exactly when ``reason`` is `ERROR` (`FLAG_NOT_FOUND`, `TYPE_MISMATCH`, ...).
    public var errorCode: EvaluationErrorCode?
    /// A sentence saying what went wrong.
    public var errorMessage: String?

    public init(
        flag: String, value: Value, variant: String?, reason: EvaluationReason, errorCode: EvaluationErrorCode? = nil,
        errorMessage: String? = nil
    ) {
        self.flag = flag
        self.value = value
        self.variant = variant
        self.reason = reason
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }
}

extension FlagDetails: Equatable where Value: Equatable {}
