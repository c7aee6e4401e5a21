/// Where ``Aggregator`` notes what an event changed: ``AggregateChanges`` for a caller that stores
/// the changes, ``IgnoredChanges`` (which compiles to nothing) for one that does not.
protocol ChangeRecorder {
    mutating func changed(_ minute: ArmMinute)
    mutating func changed(_ unit: UnitReference)
    mutating func remembered(_ output: RememberedOutput)
}

extension AggregateChanges: ChangeRecorder {
    mutating func changed(_ minute: ArmMinute) { minutes.insert(minute) }
    mutating func changed(_ unit: UnitReference) { units.insert(unit) }
    mutating func remembered(_ output: RememberedOutput) { outputs.append(output) }
}

/// Records nothing: the aggregator's callers that keep no store (a client's local breaker).
struct IgnoredChanges: ChangeRecorder {
    func changed(_ minute: ArmMinute) {}
    func changed(_ unit: UnitReference) {}
    func remembered(_ output: RememberedOutput) {}
}
