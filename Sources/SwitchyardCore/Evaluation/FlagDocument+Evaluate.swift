extension FlagDocument {
    /// Evaluates a flag without a type, as OFREP does: on ``EvaluationReason/disabled``, a code
    /// default and errors the value is `nil`.
    /// - Parameters:
    ///   - timestamp: `$flagd.timestamp` in Unix seconds; the current time when `nil`.
    public func resolve(_ flagKey: String, context: EvaluationContext = EvaluationContext(), timestamp: Int64? = nil) -> Resolution {
        guard let flag = flags[flagKey] else {
            return .failure(.flagNotFound, "flag \"\(flagKey)\" does not exist", metadata: metadata)
        }
        let metadata = flag.resultMetadata
        if flag.state == .disabled {
            return Resolution(value: nil, variant: nil, reason: .disabled, metadata: metadata)
        }
        guard let targeting = flag.targeting else {
            return flag.defaultResolution(reason: .static)
        }
        let environment = RuleEnvironment(
            context: context.attributes, flagKey: flagKey,
            timestamp: flag.readsTimestamp ? (timestamp ?? RuleEnvironment.currentTimestamp()) : 0,
            hashing: fractionalHashing)
        let chosen: JSONValue
        do {
            chosen = try targeting.evaluate(environment)
        } catch {
            return .failure(.parseError, "targeting of flag \"\(flagKey)\" failed: \(error.message)", metadata: metadata)
        }
        let name: String
        switch chosen {
        case .null: return flag.defaultResolution(reason: .default)
        case .string(let text): name = text
        case .bool(let value): name = value ? "true" : "false"
        case .integer, .double: name = chosen.logicText
        case .array, .object: name = chosen.serialized()
        }
        guard let value = flag.variants[name] else {
            return .failure(.general, "targeting of flag \"\(flagKey)\" chose \"\(name)\", which is not one of its variants", metadata: metadata)
        }
        return Resolution(value: value, variant: name, reason: .targetingMatch, metadata: metadata)
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
        guard let typed = type.coerce(value) else {
            var mismatch = Resolution.failure(
                .typeMismatch, "flag \"\(flagKey)\" is \(value.typeName), not \(type.rawValue)", metadata: resolution.metadata)
            mismatch.value = defaultValue
            return mismatch
        }
        resolution.value = typed
        return resolution
    }
}

extension Flag {
    /// The default variant with the given reason, or the code default (reason DEFAULT) without one.
    func defaultResolution(reason: EvaluationReason) -> Resolution {
        guard let defaultVariant, let value = variants[defaultVariant] else {
            return Resolution(value: nil, variant: nil, reason: .default, metadata: resultMetadata)
        }
        return Resolution(value: value, variant: defaultVariant, reason: reason, metadata: resultMetadata)
    }
}
