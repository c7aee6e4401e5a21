import SwitchyardCore

/// One minute of one arm's totals (`ArmTotals.json`).
public struct AggregateMinuteRow: Sendable, Equatable {
    public var flag: String
    public var variant: String
    public var segment: String?
    /// The minute index: milliseconds since the epoch divided by 60,000.
    public var minute: Int64
    public var totals: JSONValue

    public init(flag: String, variant: String, segment: String?, minute: Int64, totals: JSONValue) {
        self.flag = flag
        self.variant = variant
        self.segment = segment
        self.minute = minute
        self.totals = totals
    }
}

/// One unit's totals within a flag (`UnitTotals.json`).
public struct AggregateUnitRow: Sendable, Equatable {
    public var flag: String
    public var unitKey: String
    public var totals: JSONValue
    /// The analysis period the totals belong to (the start of the rollout stage, in milliseconds
    /// since the epoch; 0 before any): a reader summing several servers' rows carries a row of an
    /// older period over into the newest, as each server does when it learns of the new stage.
    public var period: Int64

    public init(flag: String, unitKey: String, totals: JSONValue, period: Int64 = 0) {
        self.flag = flag
        self.unitKey = unitKey
        self.totals = totals
        self.period = period
    }
}

/// One variant's totals of a kill rule's re-arm minute, from the exact instant it was re-armed
/// (`PartialMinute`) to the end of that minute (`ArmTotals.json`).
public struct AggregatePartialRow: Sendable, Equatable {
    public var flag: String
    /// The instant the rule was re-armed, in milliseconds since the epoch.
    public var since: Int64
    public var variant: String
    public var totals: JSONValue

    public init(flag: String, since: Int64, variant: String, totals: JSONValue) {
        self.flag = flag
        self.since = since
        self.variant = variant
        self.totals = totals
    }
}

/// An output remembered to attribute its follow-ups (`RememberedOutput`): where it came from.
public struct RememberedOutputRow: Sendable, Equatable {
    public var outputId: String
    public var flag: String
    public var variant: String
    public var segment: String?
    public var unitKey: String
    /// When the output happened, in milliseconds since the epoch.
    public var at: Int64

    public init(outputId: String, flag: String, variant: String, segment: String?, unitKey: String, at: Int64) {
        self.outputId = outputId
        self.flag = flag
        self.variant = variant
        self.segment = segment
        self.unitKey = unitKey
        self.at = at
    }
}

/// An environment's stored aggregates, as read back at start.
public struct StoredAggregates: Sendable, Equatable {
    public var minutes: [AggregateMinuteRow]
    public var units: [AggregateUnitRow]
    /// The remembered outputs, in the order they were remembered (oldest first).
    public var outputs: [RememberedOutputRow]

    public init(minutes: [AggregateMinuteRow], units: [AggregateUnitRow], outputs: [RememberedOutputRow] = []) {
        self.minutes = minutes
        self.units = units
        self.outputs = outputs
    }
}
