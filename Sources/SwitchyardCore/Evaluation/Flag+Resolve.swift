extension Flag {
    /// Evaluates the flag (flagd spec §2.3); `now` is read only when the targeting reads
    /// `$flagd.timestamp`.
    func resolve(context: EvaluationContext, now: () -> Int64) -> Resolution {
        if state == .disabled {
            return Resolution(value: nil, variant: nil, reason: .disabled, metadata: resultMetadata)
        }
        guard let targeting else {
            return defaultResolution(reason: isKilled ? .disabled : .static)
        }
        let chosen: JSONValue
        do {
            var scope = RuleScope(timestamp: readsTimestamp ? now() : 0, budget: budget)
            chosen = try targeting.evaluate(context, &scope)
        } catch {
            var failure = Resolution.failure(
                error.exceedsBudget ? .general : .parseError, "targeting of flag \"\(key)\" failed: \(error.message)", metadata: resultMetadata)
            failure.exceedsBudget = error.exceedsBudget
            return failure
        }
        let name: String
        switch chosen {
        case .null: return defaultResolution(reason: .default)
        case .string(let text): name = text
        case .bool(let value): name = value ? "true" : "false"
        case .integer, .double: name = chosen.logicText
        case .array, .object: name = chosen.serialized()
        }
        let variantHash = keyHash(name)
        guard let value = variantTable[name, hash: variantHash] else {
            return .failure(
                .general, "targeting of flag \"\(key)\" chose \"\(name)\", which is not one of its variants", metadata: resultMetadata)
        }
        return Resolution(value: value, variant: name, variantHash: variantHash, reason: .targetingMatch, metadata: resultMetadata)
    }

    /// The default variant with the given reason, or the code default (reason DEFAULT) without one;
    /// a `GENERAL` error when the default variant is not one of the variants (flagd loading mode).
    func defaultResolution(reason: EvaluationReason) -> Resolution {
        guard let defaultVariant else {
            return Resolution(value: nil, variant: nil, reason: .default, metadata: resultMetadata)
        }
        let variantHash = keyHash(defaultVariant)
        guard let value = variantTable[defaultVariant, hash: variantHash] else {
            return .failure(
                .general, "the default variant \"\(defaultVariant)\" of flag \"\(key)\" is not one of its variants", metadata: resultMetadata)
        }
        return Resolution(value: value, variant: defaultVariant, variantHash: variantHash, reason: reason, metadata: resultMetadata)
    }
}
