import SwitchyardCore
import SwitchyardStore

extension StoredFlag {
    /// The variant a kill serves (``KillSwitch/safeVariant(of:)``); the control of comparisons.
    var safeVariant: String? {
        KillSwitch.safeVariant(of: definition)
    }

    /// The names of the flag's variants, sorted.
    var variantNames: [String] {
        (definition["variants"]?.objectValue ?? [:]).keys.sorted()
    }

    /// The split of a targeting that is one plain `fractional` over variant names, as weights per
    /// variant (for the sample ratio check); `nil` for any other targeting.
    var fractionalWeights: [String: Double]? {
        guard let buckets = definition["targeting"]?["fractional"]?.arrayValue else { return nil }
        var weights: [String: Double] = [:]
        for bucket in buckets {
            guard let pair = bucket.arrayValue, pair.count == 2, let variant = pair[0].stringValue, let weight = pair[1].numberValue else {
                return nil
            }
            weights[variant, default: 0] += weight
        }
        return weights
    }
}
