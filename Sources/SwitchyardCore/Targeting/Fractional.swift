/// The two generations of `fractional` bucketing in use (see the flagd spec §4.1).
public enum FractionalHashing: String, Sendable, CaseIterable {
    /// MurmurHash3 of the bucketing string; what flagd's daemon and Go/Java providers run today.
    case v2
    /// MurmurHash3 of the CBOR encoding of the bucketing value; flagd's accepted successor.
    case v3
}

/// `fractional`: deterministic weighted bucketing.
enum Fractional {
    static let maximumTotalWeight: Int64 = 2_147_483_647

    /// Evaluates `fractional`; any malformed input gives `null`, never an error.
    static func evaluate(_ arguments: [Rule], _ environment: RuleEnvironment, _ scope: RuleScope) throws(RuleFailure) -> JSONValue {
        guard let first = arguments.first else { return .null }
        var hasher = MurmurHash3()
        let buckets: ArraySlice<Rule>
        if first.isWrittenAsArray {
            guard hashTargetingKey(environment, into: &hasher) else { return .null }
            buckets = arguments[...]
        } else {
            let bucketValue = try first.evaluate(environment, scope)
            switch (environment.hashing, bucketValue) {
            case (_, .array):
                guard hashTargetingKey(environment, into: &hasher) else { return .null }
                buckets = arguments[...]
            case (.v2, .null):
                guard hashTargetingKey(environment, into: &hasher) else { return .null }
                buckets = arguments.dropFirst()
            case (.v2, .string(let text)):
                hasher.writeUTF8(text)
                buckets = arguments.dropFirst()
            case (.v2, _), (.v3, .null):
                return .null
            case (.v3, _):
                guard CBOR.encode(bucketValue, into: &hasher) else { return .null }
                buckets = arguments.dropFirst()
            }
        }
        var total: Int64 = 0
        for bucket in buckets {
            guard let weight = try weight(of: bucket, environment, scope) else { return .null }
            total += weight
            if total > maximumTotalWeight { return .null }
        }
        guard total > 0 else { return .null }
        let point = Int64((UInt64(hasher.finalize()) * UInt64(total)) >> 32)
        var cumulative: Int64 = 0
        for bucket in buckets {
            cumulative += try weight(of: bucket, environment, scope) ?? 0
            if point < cumulative { return try variant(of: bucket, environment, scope) }
        }
        return .null
    }

    /// Hashes the shorthand input: the flag key and the targeting key.
    private static func hashTargetingKey(_ environment: RuleEnvironment, into hasher: inout MurmurHash3) -> Bool {
        guard case .string(let targetingKey)? = environment.context["targetingKey"], !targetingKey.isEmpty else {
            return false
        }
        switch environment.hashing {
        case .v2:
            hasher.writeUTF8(environment.flagKey)
            hasher.writeUTF8(targetingKey)
        case .v3:
            CBOR.writeHead(major: 4, 2, into: &hasher)
            CBOR.encodeString(environment.flagKey, into: &hasher)
            CBOR.encodeString(targetingKey, into: &hasher)
        }
        return true
    }

    /// The weight of a bucket `[variant, weight?]`; `nil` when the bucket is malformed.
    private static func weight(of bucket: Rule, _ environment: RuleEnvironment, _ scope: RuleScope) throws(RuleFailure) -> Int64? {
        let weightValue: JSONValue
        switch bucket {
        case .literal(.array(let elements)) where (1...2).contains(elements.count):
            weightValue = elements.count == 2 ? elements[1] : .null
        case .array(let rules) where (1...2).contains(rules.count):
            weightValue = rules.count == 2 ? try rules[1].evaluate(environment, scope) : .null
        case .literal, .array:
            return nil
        default:
            guard case .array(let elements) = try bucket.evaluate(environment, scope), (1...2).contains(elements.count) else {
                return nil
            }
            weightValue = elements.count == 2 ? elements[1] : .null
        }
        let weight: Int64
        switch weightValue {
        case .null: weight = 1
        case .integer(let number): weight = number
        case .double(let number) where number == number.rounded() && abs(number) <= Double(maximumTotalWeight):
            weight = Int64(number)
        default: return nil
        }
        guard weight <= maximumTotalWeight else { return nil }
        return max(weight, 0)
    }

    private static func variant(of bucket: Rule, _ environment: RuleEnvironment, _ scope: RuleScope) throws(RuleFailure) -> JSONValue {
        switch bucket {
        case .literal(.array(let elements)): return elements[0]
        case .array(let rules): return try rules[0].evaluate(environment, scope)
        default: return try bucket.evaluate(environment, scope).arrayValue?.first ?? .null
        }
    }
}

extension Rule {
    /// Whether the rule was written as a JSON array (a `fractional` bucket, not a bucketing value).
    var isWrittenAsArray: Bool {
        switch self {
        case .array, .literal(.array): true
        default: false
        }
    }
}
