import Hummingbird
import SwitchyardCore
import SwitchyardGuard
import SwitchyardStore

/// `GET /api/v1/flags/{key}/rules` (and the answer to every change of them): each rule with what it
/// would trip on, the variants it watches and the control, and when the flag last received an
/// output event. `control` and `lastOutputAt` are `null` when there is none.
struct KillRulesView: ResponseEncodable {
    struct Rule: Encodable {
        /// The rule as stored.
        let rule: JSONValue
        /// From when (milliseconds since the epoch) it watches data.
        let armedAt: Int64
        /// The rule in the rule grammar, when it still reads.
        let text: String?
        let minSamples: Int?
        /// The numbers of its trip, while it is tripped.
        let trip: JSONValue?
        /// The progress of its CUSUM fast path per variant, while it moves.
        let cusum: [String: JSONValue]?
        /// The latest measurement per watched variant: value, bound, limit, samples.
        let current: [String: JSONValue]?
    }

    let flag: String
    let control: String?
    let watchedVariants: [String]
    let lastOutputAt: Int64?
    let rules: [Rule]

    private enum CodingKeys: String, CodingKey {
        case flag, control, watchedVariants, lastOutputAt, rules
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(flag, forKey: .flag)
        try container.encode(control, forKey: .control)
        try container.encode(watchedVariants, forKey: .watchedVariants)
        try container.encode(lastOutputAt, forKey: .lastOutputAt)
        try container.encode(rules, forKey: .rules)
    }
}

extension KillRulesView.Rule {
    init(_ stored: StoredKillRule, measurements: [String: KillRuleMeasurement]?) {
        let parsed = try? KillRule(storedJSON: stored.rule)
        rule = stored.rule
        armedAt = stored.armedAt
        text = parsed?.text
        minSamples = parsed?.minSamples
        trip = stored.trip?.details
        cusum = stored.cusum.isEmpty ? nil : stored.cusum
        current = measurements?.mapValues(\.json)
    }
}
