extension FlagDocument {
    /// Evaluates a flag without a type, as OFREP does: on ``EvaluationReason/disabled``, a code
    /// default and errors the value is `nil`.
    /// - Parameters:
    ///   - timestamp: `$flagd.timestamp` in Unix seconds; the current time when `nil`.
    public func resolve(_ flagKey: String, context: EvaluationContext = EvaluationContext(), timestamp: Int64? = nil) -> Resolution {
        guard let flag = flagTable[flagKey] else {
            return .failure(.flagNotFound, "flag \"\(flagKey)\" does not exist", metadata: metadata)
        }
        // `flags` keeps every flag alive as long as the document, so the table holds them unretained.
        return flag._withUnsafeGuaranteedRef { $0.resolve(context: context, timestamp: timestamp) }
    }

    /// Evaluates a flag as an OpenFeature typed accessor does: the value is never `nil`; the
    /// caller's default is served for disabled flags, code defaults and errors, and a value of
    /// another type (beyond lossless number conversion) is a ``EvaluationErrorCode/typeMismatch``.
    public func resolve(
        _ flagKey: String, as type: FlagValueType, default defaultValue: JSONValue,
        context: EvaluationContext = EvaluationContext(), timestamp: Int64? = nil
    ) -> Resolution {
        var resolution = resolve(flagKey, context: context, timestamp: timestamp)
        guard let value = resolution.value else {
            resolution.value = defaultValue
            return resolution
        }
        if type.holds(value) { return resolution }
        guard let converted = type.coerce(value) else {
            var mismatch = Resolution.failure(
                .typeMismatch, "flag \"\(flagKey)\" is \(value.typeName), not \(type.rawValue)", metadata: resolution.metadata)
            mismatch.value = defaultValue
            return mismatch
        }
        resolution.value = converted
        return resolution
    }
}
