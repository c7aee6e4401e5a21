/// The events of one flag from an exact instant to the end of that instant's minute.
///
/// The aggregates hold one-minute buckets, so a kill rule re-armed in the middle of a minute would
/// otherwise count the samples from before it, the very samples that tripped it. Whoever re-arms a
/// rule starts a `PartialMinute` at that instant and folds every event it ingests into it as well;
/// ``KillRuleEvaluator`` then reads the re-arm's minute from it and the later minutes from the
/// aggregates, so only events timestamped at or after the instant count, to the millisecond.
public struct PartialMinute: Sendable {
    /// The flag watched.
    public let flag: String
    /// The first instant that counts.
    public let since: Timestamp
    private var aggregator = Aggregator(options: .init(retention: .seconds(120), rememberedOutputs: 10_000, tracksUnits: false))

    public init(flag: String, since: Timestamp) {
        self.flag = flag
        self.since = since
    }

    /// Folds the events of ``flag`` timestamped from ``since`` to the end of its minute (follow-ups
    /// count through the outputs folded here, that is outputs from ``since`` on).
    public mutating func add(contentsOf events: some Sequence<GuardEvent>) {
        for event in events where event.timestamp >= since && event.timestamp.minute == since.minute {
            switch event {
            case .exposure(let exposure) where exposure.flag != flag: continue
            case .output(let output) where output.flag != flag: continue
            case .breakerTrip(let trip) where trip.flag != flag: continue
            default: aggregator.add(event)
            }
        }
    }

    /// One variant's totals from ``since`` to the end of its minute.
    public func totals(variant: String, includingSketches: Bool = true) -> ArmTotals {
        aggregator.totals(flag: flag, variant: variant, from: since, through: since, includingSketches: includingSketches)
    }
}

extension PartialMinute {
    /// A partial minute holding the given totals per variant: the sum of what several servers
    /// counted from the same instant.
    public init(flag: String, since: Timestamp, totals: [String: ArmTotals]) {
        self.init(flag: flag, since: since)
        for (variant, variantTotals) in totals {
            aggregator.restore(variantTotals, for: ArmKey(flag: flag, variant: variant), minute: since.minute)
        }
    }

    /// Every variant's totals so far, by variant: what a server stores for others to sum.
    public var totalsByVariant: [String: ArmTotals] {
        Dictionary(uniqueKeysWithValues: aggregator.variants(of: flag).map { ($0, totals(variant: $0)) })
    }
}
