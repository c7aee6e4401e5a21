import SwitchyardCore

@testable import SwitchyardGuard

/// What a server keeps when it stores exactly the changes ``Aggregator`` reports, as JSON text, and
/// the aggregator a restart rebuilds from it.
struct StoredChanges {
    var minutes: [ArmMinute: String] = [:]
    var units: [UnitReference: String] = [:]
    /// Oldest first, at most `options.rememberedOutputs`.
    var outputs: [RememberedOutput] = []
    let options: Aggregator.Options

    init(options: Aggregator.Options = Aggregator.Options()) {
        self.options = options
    }

    /// Folds `events` into `aggregator` and writes what they changed.
    mutating func add(_ events: [GuardEvent], to aggregator: inout Aggregator) {
        var changes = AggregateChanges()
        aggregator.add(contentsOf: events, changes: &changes)
        for bucket in changes.minutes {
            minutes[bucket] = aggregator.totals(for: bucket.key, minute: bucket.minute)?.json.serialized()
        }
        for unit in changes.units {
            units[unit] = aggregator.unit(unit.unitKey, of: unit.flag)?.json.serialized()
        }
        outputs += changes.outputs
        outputs.removeFirst(max(0, outputs.count - options.rememberedOutputs))
    }

    /// The aggregator a restart reads back.
    func restored() throws -> Aggregator {
        var aggregator = Aggregator(options: options)
        for (bucket, text) in minutes.sorted(by: { $0.key.minute < $1.key.minute }) {
            aggregator.restore(try ArmTotals(json: JSONValue(parsing: text)), for: bucket.key, minute: bucket.minute)
        }
        for (unit, text) in units {
            aggregator.restore(try UnitTotals(json: JSONValue(parsing: text)), unitKey: unit.unitKey, flag: unit.flag)
        }
        for output in outputs { aggregator.restore(output) }
        return aggregator
    }
}
