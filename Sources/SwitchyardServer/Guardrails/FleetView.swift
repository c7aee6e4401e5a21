import SwitchyardGuard
import SwitchyardStore

/// The aggregates of every server sharing the store, summed: what the kill rules, rollouts and
/// reports read when several servers ingest events (``FleetAggregates``).
///
/// Each server stores only its own rows and replaces them as they grow. The view keeps every
/// server's latest rows and, per one-minute bucket, unit and re-arm minute, their sum. Each read
/// asks only for the rows changed since the previous read (less ``overlap``, which covers the
/// transactions that were committing meanwhile); reading a row twice changes nothing, since a row
/// is a server's total and not an increment.
///
/// Per-unit totals carry an analysis period (the start of the rollout stage): a server's row of an
/// older period than the newest of its flag is carried over (``UnitTotals/carriedOver``), as that
/// server does itself once it learns of the new stage.
actor FleetView {
    /// How far before the previous read each read starts again.
    static let overlap: Int64 = 5_000

    fileprivate struct PartialKey: Hashable {
        let flag: String
        let since: Int64
    }

    fileprivate struct UnitKey: Hashable {
        let flag: String
        let unitKey: String
    }

    fileprivate struct EnvironmentView {
        var cursor: Int64?
        var aggregator: Aggregator
        /// Bucket → server → its totals.
        var minutes: [ArmKey: [Int64: [String: ArmTotals]]] = [:]
        /// Unit → server → its totals and their period.
        var units: [UnitKey: [String: (totals: UnitTotals, period: Int64)]] = [:]
        /// The newest analysis period of each flag.
        var periods: [String: Int64] = [:]
        /// Re-arm minute → variant → server → its totals.
        var partials: [PartialKey: [String: [String: ArmTotals]]] = [:]
        var oldestMinute = Int64.min
    }

    private let store: any FleetAggregates
    private let options: Aggregator.Options
    private var environments: [String: EnvironmentView] = [:]

    init(store: any FleetAggregates, retention: Duration) {
        self.store = store
        self.options = Aggregator.Options(retention: retention)
    }

    /// The fleet's aggregates of an environment and its re-arm minutes, as of now.
    func aggregates(of environment: String, now: Timestamp) async throws -> (aggregator: Aggregator, partials: [PartialMinute]) {
        let oldest = (now - options.retention).minute
        let cursor = environments[environment]?.cursor
        let rows = try await store.fleetAggregates(in: environment, changedSince: cursor.map { $0 - Self.overlap }, fromMinute: oldest)
        var view = environments.removeValue(forKey: environment) ?? EnvironmentView(aggregator: Aggregator(options: options))
        view.apply(rows, oldestMinute: oldest)
        environments[environment] = view
        let partials = view.partials.map { key, variants in
            PartialMinute(
                flag: key.flag, since: Timestamp(millisecondsSinceEpoch: key.since),
                totals: variants.mapValues { servers in servers.values.reduce(into: ArmTotals()) { $0.merge($1) } })
        }
        return (view.aggregator, partials)
    }
}

extension FleetView.EnvironmentView {
    fileprivate mutating func apply(_ rows: FleetAggregateRows, oldestMinute oldest: Int64) {
        cursor = max(cursor ?? rows.readAt, rows.readAt)
        for replicaRow in rows.minutes {
            let row = replicaRow.row
            guard row.minute >= oldest, let totals = try? ArmTotals(json: row.totals) else { continue }
            let key = ArmKey(flag: row.flag, variant: row.variant, segment: row.segment)
            minutes[key, default: [:]][row.minute, default: [:]][replicaRow.replica] = totals
            let servers = minutes[key]![row.minute]!
            aggregator.replace(servers.values.reduce(into: ArmTotals()) { $0.merge($1) }, for: key, minute: row.minute)
        }
        var flagsToMerge: Set<String> = []
        var unitsToMerge: Set<FleetView.UnitKey> = []
        for replicaRow in rows.units {
            let row = replicaRow.row
            guard let totals = try? UnitTotals(json: row.totals) else { continue }
            let key = FleetView.UnitKey(flag: row.flag, unitKey: row.unitKey)
            units[key, default: [:]][replicaRow.replica] = (totals, row.period)
            if row.period > periods[row.flag] ?? 0 {
                periods[row.flag] = row.period
                flagsToMerge.insert(row.flag)
            }
            unitsToMerge.insert(key)
        }
        if !flagsToMerge.isEmpty { unitsToMerge.formUnion(units.keys.filter { flagsToMerge.contains($0.flag) }) }
        for key in unitsToMerge { mergeUnit(key) }
        for replicaRow in rows.partials {
            let row = replicaRow.row
            guard let totals = try? ArmTotals(json: row.totals) else { continue }
            partials[FleetView.PartialKey(flag: row.flag, since: row.since), default: [:]][row.variant, default: [:]][replicaRow.replica] = totals
        }
        if oldest > oldestMinute {
            oldestMinute = oldest
            prune(before: oldest)
        }
    }

    /// Sets a unit's sum: each server's row, carried over when it belongs to an older period.
    private mutating func mergeUnit(_ key: FleetView.UnitKey) {
        let newest = periods[key.flag] ?? 0
        var merged: UnitTotals?
        for (_, row) in (units[key] ?? [:]).sorted(by: { $0.key < $1.key }) {
            let totals = row.period < newest ? row.totals.carriedOver : row.totals
            if merged == nil { merged = totals } else { merged!.merge(totals) }
        }
        aggregator.replace(merged, unitKey: key.unitKey, flag: key.flag)
    }

    /// Forgets the rows older than the retention (the aggregator drops its minutes by itself).
    private mutating func prune(before oldest: Int64) {
        for key in minutes.keys {
            minutes[key] = minutes[key]!.filter { $0.key >= oldest }
            if minutes[key]!.isEmpty { minutes[key] = nil }
        }
        partials = partials.filter { $0.key.since >= oldest * 60_000 }
    }
}
