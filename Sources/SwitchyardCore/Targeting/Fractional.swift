/// The two generations of `fractional` bucketing in use (see the flagd spec §4.1).
public enum FractionalHashing: String, Sendable, CaseIterable {
    /// MurmurHash3 of the bucketing string; what flagd's daemon and Go/Java providers run today.
    case v2
    /// MurmurHash3 of the CBOR encoding of the bucketing value; flagd's accepted successor.
    case v3
}

/// `fractional`: deterministic weighted bucketing. Any malformed input gives `null`, never an error.
///
/// `{"fractional": [bucketingValue?, [variant, weight?], …]}`: the bucketing value (or, when the
/// first argument is itself a bucket, the flag key and targeting key) is hashed with MurmurHash3
/// and mapped onto the cumulative weights, so raising one weight only moves units into that bucket.
final class FractionalRule: Rule {
    static let maximumTotalWeight: Int64 = 2_147_483_647

    /// The buckets, known at load time when every one is a literal.
    private enum Buckets {
        /// Literal buckets: running sums of the weights, and the variants.
        case fixed(cumulative: [Int64], variants: [JSONValue])
        /// Literal buckets that can never be used (a bad weight, a total of zero or too large).
        case invalid
        /// Buckets with rules inside, evaluated each time.
        case computed([any Rule])
    }

    /// The rule giving the bucketing value; `nil` for the shorthand (flag key and targeting key).
    private let bucketingRule: (any Rule)?
    private let buckets: Buckets
    /// Every argument as written, for the rare bucketing value that evaluates to an array.
    private let arguments: [any Rule]
    private let hashing: FractionalHashing
    /// The hash state after the flag-key part of the shorthand input, which never changes.
    private let shorthandPrefix: MurmurHash3

    init(_ arguments: [any Rule], flagKey: String, hashing: FractionalHashing) {
        self.arguments = arguments
        self.hashing = hashing
        var prefix = MurmurHash3()
        switch hashing {
        case .v2:
            prefix.writeUTF8(flagKey)
        case .v3:
            CBOR.writeHead(major: 4, 2, into: &prefix)
            CBOR.encodeString(flagKey, into: &prefix)
        }
        shorthandPrefix = prefix
        let shorthand = arguments.first?.isWrittenAsArray ?? true
        bucketingRule = shorthand ? nil : arguments[0]
        buckets = Self.prepare(shorthand ? arguments : Array(arguments.dropFirst()))
    }

    var readsTimestamp: Bool { arguments.contains { $0.readsTimestamp } }

    func evaluate(_ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> JSONValue {
        guard !arguments.isEmpty else { return .null }
        guard let bucketingRule else {
            guard let hash = shorthandHash(context) else { return .null }
            return try choose(hash, buckets, context, &scope)
        }
        let bucketValue = try bucketingRule.evaluate(context, &scope)
        var hasher = MurmurHash3()
        switch (hashing, bucketValue) {
        case (_, .array):
            // The first argument turned out to be a bucket: the shorthand over every argument.
            guard let hash = shorthandHash(context) else { return .null }
            return try choose(hash, .computed(arguments), context, &scope)
        case (.v2, .null):
            guard let hash = shorthandHash(context) else { return .null }
            return try choose(hash, buckets, context, &scope)
        case (.v2, .string(let text)):
            hasher.writeUTF8(text)
        case (.v2, _), (.v3, .null):
            return .null
        case (.v3, _):
            guard CBOR.encode(bucketValue, into: &hasher) else { return .null }
        }
        return try choose(hasher.finalize(), buckets, context, &scope)
    }

    /// The hash of the shorthand input, the flag key and the targeting key; `nil` without a
    /// non-empty string targeting key.
    private func shorthandHash(_ context: EvaluationContext) -> UInt32? {
        guard case .string(let targetingKey)? = context.value(for: "targetingKey", hash: EvaluationContext.targetingKeyNameHash),
            !targetingKey.isEmpty
        else { return nil }
        var hasher = shorthandPrefix
        switch hashing {
        case .v2: hasher.writeUTF8(targetingKey)
        case .v3: CBOR.encodeString(targetingKey, into: &hasher)
        }
        return hasher.finalize()
    }

    /// Maps a hash onto the buckets: `(hash × total) >> 32` falls in exactly one bucket.
    private func choose(_ hash: UInt32, _ buckets: Buckets, _ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> JSONValue {
        switch buckets {
        case .invalid:
            return .null
        case .fixed(let cumulative, let variants):
            let point = Int64((UInt64(hash) * UInt64(cumulative[cumulative.count - 1])) >> 32)
            for index in cumulative.indices where point < cumulative[index] { return variants[index] }
            return .null
        case .computed(let rules):
            var values: [JSONValue] = []
            values.reserveCapacity(rules.count)
            for rule in rules { values.append(try rule.evaluate(context, &scope)) }
            return try choose(hash, Self.literalBuckets(values.lazy.map(Optional.some)) ?? .invalid, context, &scope)
        }
    }

    /// Reads the buckets once; literal buckets are checked and summed here.
    private static func prepare(_ rules: [any Rule]) -> Buckets {
        literalBuckets(rules.lazy.map(\.literalValue)) ?? .computed(rules)
    }

    /// Checks and sums bucket values in order; `nil` on reaching one that is not known (`nil`).
    private static func literalBuckets(_ values: some Sequence<JSONValue?>) -> Buckets? {
        var cumulative: [Int64] = []
        var variants: [JSONValue] = []
        var total: Int64 = 0
        for value in values {
            guard let literal = value else { return nil }
            guard case .array(let bucket) = literal, (1...2).contains(bucket.count),
                let weight = weight(bucket.count == 2 ? bucket[1] : .null)
            else { return .invalid }
            total += weight
            guard total <= maximumTotalWeight else { return .invalid }
            cumulative.append(total)
            variants.append(bucket[0])
        }
        return total > 0 ? .fixed(cumulative: cumulative, variants: variants) : .invalid
    }

    /// A bucket weight: an integer (negative counts as 0), 1 when absent; `nil` when malformed.
    private static func weight(_ value: JSONValue) -> Int64? {
        let weight: Int64
        switch value {
        case .null: weight = 1
        case .integer(let number): weight = number
        case .double(let number) where number == number.rounded() && abs(number) <= Double(maximumTotalWeight):
            weight = Int64(number)
        default: return nil
        }
        guard weight <= maximumTotalWeight else { return nil }
        return max(weight, 0)
    }
}
