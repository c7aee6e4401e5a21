/// What folding events changed in an ``Aggregator``: the one-minute buckets, the units and the
/// newly remembered outputs, so that a store writes exactly those.
///
/// Follow-up events (feedback, edits, actions) name neither flag nor unit; the aggregator
/// attributes them through the output they name, and the change lands here like any other.
public struct AggregateChanges: Sendable, Hashable {
    /// The one-minute arm totals that changed.
    public internal(set) var minutes: Set<ArmMinute> = []
    /// The per-unit totals that changed.
    public internal(set) var units: Set<UnitReference> = []
    /// The outputs newly remembered to attribute follow-ups, in the order they were remembered.
    public internal(set) var outputs: [RememberedOutput] = []

    public init() {}

    /// Whether nothing changed.
    public var isEmpty: Bool { minutes.isEmpty && units.isEmpty && outputs.isEmpty }
}

/// One minute of one arm: the key of a stored ``ArmTotals`` bucket.
public struct ArmMinute: Sendable, Hashable {
    public var key: ArmKey
    /// The minute index (milliseconds since the epoch divided by 60,000).
    public var minute: Int64

    public init(key: ArmKey, minute: Int64) {
        self.key = key
        self.minute = minute
    }
}

/// One unit of one flag: the key of a stored ``UnitTotals``.
public struct UnitReference: Sendable, Hashable {
    public var flag: String
    public var unitKey: String

    public init(flag: String, unitKey: String) {
        self.flag = flag
        self.unitKey = unitKey
    }
}
