import SwitchyardCore

/// One minute of one arm's totals (`ArmTotals.json`).
package struct AggregateMinuteRow: Sendable, Equatable {
    package var flag: String
    package var variant: String
    package var segment: String?
    /// The minute index: milliseconds since the epoch divided by 60,000.
    package var minute: Int64
    package var totals: JSONValue

    package init(flag: String, variant: String, segment: String?, minute: Int64, totals: JSONValue) {
        self.flag = flag
        self.variant = variant
        self.segment = segment
        self.minute = minute
        self.totals = totals
    }
}

/// One unit's totals within a flag (`UnitTotals.json`).
package struct AggregateUnitRow: Sendable, Equatable {
    package var flag: String
    package var unitKey: String
    package var totals: JSONValue
    /// The analysis period the totals belong to (the start of the rollout stage, in milliseconds
    /// since the epoch; 0 before any): a reader summing several servers' rows carries a row of an
    /// older period over into the newest, as each server does when it learns of the new stage.
    package var period: Int64

    package init(flag: String, unitKey: String, totals: JSONValue, period: Int64 = 0) {
        self.flag = flag
        self.unitKey = unitKey
        self.totals = totals
        self.period = period
    }
}

/// One variant's totals of a kill rule's re-arm minute, from the exact instant it was re-armed
/// (`PartialMinute`) to the end of that minute (`ArmTotals.json`).
package struct AggregatePartialRow: Sendable, Equatable {
    package var flag: String
    /// The instant the rule was re-armed, in milliseconds since the epoch.
    package var since: Int64
    package var variant: String
    package var totals: JSONValue

    package init(flag: String, since: Int64, variant: String, totals: JSONValue) {
        self.flag = flag
        self.since = since
        self.variant = variant
        self.totals = totals
    }
}

/// An output remembered to attribute its follow-ups (`RememberedOutput`): where it came from.
package struct RememberedOutputRow: Sendable, Equatable {
    package var outputId: String
    package var flag: String
    package var variant: String
    package var segment: String?
    package var unitKey: String
    /// When the output happened, in milliseconds since the epoch.
    package var at: Int64

    package init(outputId: String, flag: String, variant: String, segment: String?, unitKey: String, at: Int64) {
        self.outputId = outputId
        self.flag = flag
        self.variant = variant
        self.segment = segment
        self.unitKey = unitKey
        self.at = at
    }
}

/// An environment's stored aggregates, as read back at start.
package struct StoredAggregates: Sendable, Equatable {
    package var minutes: [AggregateMinuteRow]
    package var units: [AggregateUnitRow]
    /// The remembered outputs, in the order they were remembered (oldest first).
    package var outputs: [RememberedOutputRow]

    package init(minutes: [AggregateMinuteRow], units: [AggregateUnitRow], outputs: [RememberedOutputRow] = []) {
        self.minutes = minutes
        self.units = units
        self.outputs = outputs
    }
}
