extension FlagDocument {
    /// The flag members flagd's own evaluators read; a flag has Switchyard's `safeVariant` too.
    public static let flagdFlagMembers: Set<String> = ["state", "variants", "defaultVariant", "targeting", "metadata"]

    /// The document as flagd's evaluators (the flagd daemon and its in-process providers) load it,
    /// evaluating to what this document evaluates to: flags keyed by key (only those `selector`
    /// selects) with flagd's members only and no `null` default variant, metadata restricted to
    /// strings, numbers and booleans (what flagd's schema allows), and whole numbers written as
    /// floats (`5.0`) as integers where flagd would otherwise read them differently: `fractional`
    /// weights and variant values. `fractionalHashing` stays (flagd ignores it); a document meant
    /// for flagd's v2 evaluators says `"v2"`.
    public func flagdJSON(selectedBy selector: FlagSetSelector? = nil) -> JSONValue {
        var flagdFlags: [String: JSONValue] = [:]
        for (key, flag) in flags where selector?.contains(flag) ?? true {
            guard case .object(let members) = flag.definition else { continue }
            var kept = members.filter { Self.flagdFlagMembers.contains($0.key) }
            if kept["defaultVariant"] == .null { kept["defaultVariant"] = nil }
            if case .object(let metadata)? = kept["metadata"] { kept["metadata"] = .object(metadata.filter { $0.value.isScalar }) }
            if case .object(let variants)? = kept["variants"] { kept["variants"] = .object(variants.mapValues(\.wholeNumberAsInteger)) }
            if let targeting = kept["targeting"] { kept["targeting"] = targeting.fractionalWeightsAsIntegers }
            flagdFlags[key] = .object(kept)
        }
        var document: [String: JSONValue] = ["flags": .object(flagdFlags)]
        if !evaluators.isEmpty { document["$evaluators"] = JSONValue.object(evaluators).fractionalWeightsAsIntegers }
        let scalarMetadata = metadata.filter { $0.value.isScalar }
        if !scalarMetadata.isEmpty { document["metadata"] = .object(scalarMetadata) }
        if fractionalHashing != .v3 { document[FlagDocument.fractionalHashingKey] = .string(fractionalHashing.rawValue) }
        return .object(document)
    }
}

extension JSONValue {
    /// A string, number or boolean.
    fileprivate var isScalar: Bool {
        switch self {
        case .string, .integer, .double, .bool: true
        default: false
        }
    }

    /// `10.0` as `10` (within 64 bits); everything else as it is.
    fileprivate var wholeNumberAsInteger: JSONValue {
        guard case .double(let number) = self, number == number.rounded(), abs(number) < 9_223_372_036_854_775_808.0 else { return self }
        return .integer(Int64(number))
    }

    /// JsonLogic with the weights of `fractional` buckets written as whole-number floats
    /// (`["on", 5.0]`, which Switchyard reads as 5) as integers, which flagd's evaluators require.
    fileprivate var fractionalWeightsAsIntegers: JSONValue {
        switch self {
        case .array(let elements):
            return .array(elements.map(\.fractionalWeightsAsIntegers))
        case .object(let members):
            if members.count == 1, case .array(let arguments)? = members["fractional"] {
                return [
                    "fractional": .array(
                        arguments.map { argument in
                            guard case .array(let bucket) = argument, bucket.count == 2 else { return argument.fractionalWeightsAsIntegers }
                            return [bucket[0].fractionalWeightsAsIntegers, bucket[1].wholeNumberAsInteger]
                        })
                ]
            }
            return .object(members.mapValues(\.fractionalWeightsAsIntegers))
        default:
            return self
        }
    }
}
