/// Why a flag resolved to what it did (OpenFeature reasons, as flagd emits them).
public enum EvaluationReason: String, Sendable, CaseIterable {
    /// No targeting; the default variant.
    case `static` = "STATIC"
    /// Targeting chose the variant.
    case targetingMatch = "TARGETING_MATCH"
    /// Targeting chose nothing: the default variant, or the caller's default when there is none.
    case `default` = "DEFAULT"
    /// The flag is disabled: the caller's default. Not an error.
    case disabled = "DISABLED"
    /// Something went wrong: the caller's default, with an ``EvaluationErrorCode``.
    case error = "ERROR"
}

/// What went wrong in an evaluation (OpenFeature error codes).
public enum EvaluationErrorCode: String, Sendable, CaseIterable {
    case flagNotFound = "FLAG_NOT_FOUND"
    case parseError = "PARSE_ERROR"
    case typeMismatch = "TYPE_MISMATCH"
    case targetingKeyMissing = "TARGETING_KEY_MISSING"
    case invalidContext = "INVALID_CONTEXT"
    case general = "GENERAL"
}

/// The outcome of evaluating one flag.
public struct Resolution: Sendable, Equatable {
    /// The value to serve; `nil` means the caller's default (disabled flag, no default variant, error).
    /// Typed evaluations always fill it, with the caller's default where that applies.
    public var value: JSONValue?
    /// The variant served, when one was.
    public private(set) var variant: String?
    /// `keyHash` of ``variant`` (0 without one), so that a caller fingerprinting what was served
    /// does not hash it again.
    package private(set) var variantHash: UInt64
    /// Why this value.
    public var reason: EvaluationReason
    /// Set exactly when ``reason`` is ``EvaluationReason/error``.
    public var errorCode: EvaluationErrorCode?
    /// A sentence saying what went wrong, for logs and API responses.
    public var errorMessage: String?
    /// Flag-set metadata overlaid with the flag's own.
    public var metadata: [String: JSONValue]
    /// Whether the evaluation stopped because it spent its ``EvaluationBudget`` (a
    /// ``EvaluationErrorCode/general`` error).
    public internal(set) var exceedsBudget = false

    public init(
        value: JSONValue?, variant: String?, reason: EvaluationReason, errorCode: EvaluationErrorCode? = nil,
        errorMessage: String? = nil, metadata: [String: JSONValue] = [:]
    ) {
        self.init(value: value, variant: variant, variantHash: variant.map(keyHash) ?? 0, reason: reason, metadata: metadata)
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    /// A resolution whose variant's `keyHash` the engine already computed.
    package init(value: JSONValue?, variant: String?, variantHash: UInt64, reason: EvaluationReason, metadata: [String: JSONValue]) {
        self.value = value
        self.variant = variant
        self.variantHash = variantHash
        self.reason = reason
        self.metadata = metadata
    }

    /// An error result: no value, no variant.
    public static func failure(
        _ code: EvaluationErrorCode, _ message: String, metadata: [String: JSONValue] = [:]
    ) -> Resolution {
        Resolution(value: nil, variant: nil, reason: .error, errorCode: code, errorMessage: message, metadata: metadata)
    }
}
