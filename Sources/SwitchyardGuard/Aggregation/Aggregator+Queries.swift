extension Aggregator {
    /// The arms that hold data.
    public var armKeys: [ArmKey] { Array(minutes.keys) }

    /// How many arms hold data.
    public var armCount: Int { minutes.count }

    /// Whether an arm holds data.
    public func holds(_ arm: ArmKey) -> Bool { minutes[arm] != nil }

    /// The variants of `flag` that hold data, sorted.
    public func variants(of flag: String) -> [String] {
        Set(minutes.keys.lazy.filter { $0.flag == flag }.map(\.variant)).sorted()
    }

    /// The totals of one variant over the minutes from `start` through `end` (both included).
    ///
    /// - Parameters:
    ///   - segment: one segment, or `nil` for all units whatever their segment.
    ///   - includingSketches: whether the quantile sketches are summed too (the costly part).
    public func totals(
        flag: String, variant: String, segment: String? = nil, from start: Timestamp, through end: Timestamp, includingSketches: Bool = true
    ) -> ArmTotals {
        var result = ArmTotals()
        let first = start.minute
        let last = end.minute
        for (key, series) in minutes where key.flag == flag && key.variant == variant && (segment == nil || key.segment == segment) {
            if Int64(series.count) <= last - first + 1 {
                for (minute, totals) in series where minute >= first && minute <= last { result.merge(totals, includingSketches: includingSketches) }
            } else {
                for minute in first...last { if let totals = series[minute] { result.merge(totals, includingSketches: includingSketches) } }
            }
        }
        return result
    }

    /// The totals of a sliding window: the minutes overlapping the `length` before `now`,
    /// including the current, partial minute.
    public func window(
        flag: String, variant: String, segment: String? = nil, length: Duration, endingAt now: Timestamp, includingSketches: Bool = true
    ) -> ArmTotals {
        totals(flag: flag, variant: variant, segment: segment, from: now - length, through: now, includingSketches: includingSketches)
    }

    /// Every stored minute of one arm, oldest first; what the store persists.
    public func minuteTotals(for key: ArmKey) -> [(minute: Int64, totals: ArmTotals)] {
        (minutes[key] ?? [:]).sorted { $0.key < $1.key }.map { (minute: $0.key, totals: $0.value) }
    }

    /// One minute of one arm's own totals (not its segments'), or `nil` when it holds none.
    public func totals(for key: ArmKey, minute: Int64) -> ArmTotals? {
        minutes[key]?[minute]
    }

    /// Whether the output with this id is remembered, so that its follow-ups are attributed.
    public func remembers(_ outputId: String) -> Bool {
        outputs[outputId] != nil
    }

    /// One unit's totals under `flag`, or `nil` when the unit is unknown.
    public func unit(_ unitKey: String, of flag: String) -> UnitTotals? {
        units[flag]?[unitKey]
    }

    /// The newest minute holding an output of `flag`, if any.
    public func newestOutputMinute(of flag: String) -> Int64? {
        minutes.lazy.filter { $0.key.flag == flag }.compactMap { $0.value.filter { $0.value.outputs > 0 }.keys.max() }.max()
    }

    /// The per-unit totals of `flag`, keyed by unit key.
    public func units(of flag: String) -> [String: UnitTotals] {
        units[flag] ?? [:]
    }
}

extension Aggregator {
    /// Sets one minute of one arm to `totals` exactly (`nil` removes it): a view summing several
    /// servers' stored rows sets each bucket to its new sum.
    public mutating func replace(_ totals: ArmTotals?, for key: ArmKey, minute: Int64) {
        guard let totals else {
            minutes[key]?[minute] = nil
            if minutes[key]?.isEmpty == true { minutes[key] = nil }
            return
        }
        restore(ArmTotals(), for: key, minute: minute)
        minutes[key]![minute] = totals
    }

    /// Sets one unit's totals under `flag` exactly (`nil` removes it).
    public mutating func replace(_ unit: UnitTotals?, unitKey: String, flag: String) {
        units[flag, default: [:]][unitKey] = unit
        if units[flag]?.isEmpty == true { units[flag] = nil }
    }
}
