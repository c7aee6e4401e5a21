extension FlagDocument {
    /// Evaluates a flag without a type, as OFREP does: on ``EvaluationReason/disabled``, a code
    /// default and errors the value is `nil`.
    /// - Parameters:
    ///   - now: `$flagd.timestamp`, in seconds since the Unix epoch, read only when the flag's
    ///     targeting reads it. The server and the client pass their injected clock (`WallClock`);
    ///     the default reads the system's clock.
    public func resolve(
        _ flagKey: String, context: EvaluationContext = EvaluationContext(), now: () -> Int64 = FlagDocument.systemTimestamp
    ) -> Resolution {
        resolve(flagKey, keyHash: keyHash(flagKey), context: context, now: now)
    }

    /// ``resolve(_:context:now:)`` at a fixed `$flagd.timestamp` (seconds since the Unix epoch).
    public func resolve(_ flagKey: String, context: EvaluationContext = EvaluationContext(), timestamp: Int64) -> Resolution {
        resolve(flagKey, context: context, now: { timestamp })
    }

    /// Evaluates a flag as an OpenFeature typed accessor does: the value is never `nil`; the
    /// caller's default is served for disabled flags, code defaults and errors, and a value of
    /// another type (beyond lossless number conversion) is a ``EvaluationErrorCode/typeMismatch``.
    public func resolve(
        _ flagKey: String, as type: FlagValueType, default defaultValue: JSONValue,
        context: EvaluationContext = EvaluationContext(), now: () -> Int64 = FlagDocument.systemTimestamp
    ) -> Resolution {
        resolve(flagKey, keyHash: keyHash(flagKey), as: type, default: defaultValue, context: context, now: now)
    }

    /// ``resolve(_:context:now:)`` for a caller that already computed `keyHash(flagKey)`.
    package func resolve(_ flagKey: String, keyHash hash: UInt64, context: EvaluationContext, now: () -> Int64) -> Resolution {
        flagTable.withValue(of: flagKey, hash: hash) { flag in
            guard let flag else { return .failure(.flagNotFound, "flag \"\(flagKey)\" does not exist", metadata: metadata) }
            return flag.resolve(context: context, now: now)
        }
    }

    /// ``resolve(_:as:default:context:now:)`` for a caller that already computed `keyHash(flagKey)`.
    package func resolve(
        _ flagKey: String, keyHash hash: UInt64, as type: FlagValueType, default defaultValue: JSONValue,
        context: EvaluationContext, now: () -> Int64
    ) -> Resolution {
        resolve(flagKey, keyHash: hash, context: context, now: now).typed(flagKey, as: type, default: defaultValue)
    }
}

extension Resolution {
    /// The resolution as an OpenFeature typed accessor serves it: the caller's default where there
    /// is no value (disabled flag, code default, error), and a value of another type (beyond
    /// lossless number conversion) a ``EvaluationErrorCode/typeMismatch``.
    public func typed(_ flagKey: String, as type: FlagValueType, default defaultValue: JSONValue) -> Resolution {
        var resolution = self
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
