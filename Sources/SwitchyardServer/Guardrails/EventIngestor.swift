import Logging
import SwitchyardCore
import SwitchyardGuard
import SwitchyardStore

/// Folds accepted event batches into one ``Aggregator`` per environment and makes them durable.
///
/// A batch is accepted only once the store has recorded its id together with every one-minute
/// arm total and per-unit total it changed, in one transaction; batches are folded one at a time
/// so that each transaction writes what the aggregator holds. A batch id seen before is counted
/// once. At start the aggregates are read back from the store.
actor EventIngestor {
    /// What happened to a batch.
    enum Outcome: Sendable, Equatable {
        case accepted
        /// The batch id was recorded before; nothing was counted.
        case duplicate
    }

    private let store: any GuardrailStore
    private let options: Aggregator.Options
    private let logger: Logger
    private var aggregators: [String: Aggregator] = [:]
    private var seen: [String: SeenBatchIDs] = [:]
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(store: any GuardrailStore, retention: Duration, logger: Logger) {
        self.store = store
        self.options = Aggregator.Options(retention: retention)
        self.logger = logger
    }

    /// Reads an environment's aggregates back from the store.
    func load(_ environment: String, now: Timestamp) async throws {
        await acquire()
        defer { release() }
        try await reload(environment, now: now)
    }

    /// The current aggregates of an environment (a copy).
    func aggregator(of environment: String) -> Aggregator {
        aggregators[environment] ?? Aggregator(options: options)
    }

    /// Folds a batch once its aggregates are durable.
    func ingest(_ batch: EventBatch, in environment: String, now: Timestamp) async throws -> Outcome {
        await acquire()
        defer { release() }
        if seen[environment]?.contains(batch.batchId) == true { return .duplicate }
        var aggregator = aggregators.removeValue(forKey: environment) ?? Aggregator(options: options)
        aggregator.add(contentsOf: batch.events)
        let (minutes, units) = Self.rows(changedBy: batch.events, in: aggregator)
        let recorded: Bool
        do {
            recorded = try await store.recordEventBatch(batch.batchId, in: environment, minutes: minutes, units: units)
        } catch {
            try await reload(environment, now: now)
            throw error
        }
        guard recorded else {
            logger.debug("duplicate event batch", metadata: ["batch": .string(batch.batchId), "environment": .string(environment)])
            try await reload(environment, now: now)
            seen[environment, default: SeenBatchIDs()].insertIgnoringResult(batch.batchId)
            return .duplicate
        }
        aggregators[environment] = aggregator
        seen[environment, default: SeenBatchIDs()].insertIgnoringResult(batch.batchId)
        return .accepted
    }

    /// Restarts the per-unit analysis of a flag (a rollout stage began) and stores the result.
    func startAnalysis(of flag: String, in environment: String) async throws {
        await acquire()
        defer { release() }
        var aggregator = aggregators.removeValue(forKey: environment) ?? Aggregator(options: options)
        aggregator.startAnalysis(of: flag)
        aggregators[environment] = aggregator
        let units = aggregator.units(of: flag).map { AggregateUnitRow(flag: flag, unitKey: $0.key, totals: $0.value.json) }
        try await store.replaceUnitAggregates(of: flag, in: environment, with: units)
    }

    private func reload(_ environment: String, now: Timestamp) async throws {
        let oldest = (now - options.retention).minute
        let stored = try await store.aggregates(in: environment, fromMinute: oldest)
        var aggregator = Aggregator(options: options)
        for row in stored.minutes {
            aggregator.restore(
                try ArmTotals(json: row.totals), for: ArmKey(flag: row.flag, variant: row.variant, segment: row.segment), minute: row.minute)
        }
        for row in stored.units {
            aggregator.restore(try UnitTotals(json: row.totals), unitKey: row.unitKey, flag: row.flag)
        }
        aggregators[environment] = aggregator
    }

    /// The rows a batch changed: every arm's totals in the minutes the batch touched (follow-up
    /// events name no flag, so every arm is written), and the units its exposures and outputs name.
    private static func rows(changedBy events: [GuardEvent], in aggregator: Aggregator) -> ([AggregateMinuteRow], [AggregateUnitRow]) {
        var touchedMinutes = Set<Int64>()
        var touchedUnits = Set<UnitReference>()
        for event in events {
            touchedMinutes.insert(event.timestamp.minute)
            switch event {
            case .exposure(let exposure): touchedUnits.insert(UnitReference(flag: exposure.flag, unitKey: exposure.unitKey))
            case .output(let output): touchedUnits.insert(UnitReference(flag: output.flag, unitKey: output.unitKey))
            case .feedback, .edit, .action, .breakerTrip: break
            }
        }
        var minutes: [AggregateMinuteRow] = []
        let keys = aggregator.armKeys
        let segmented = Set(keys.filter { $0.segment != nil }.map { ArmKey(flag: $0.flag, variant: $0.variant) })
        for key in keys {
            if key.segment == nil, segmented.contains(key) {
                // `totals(segment: nil)` would sum the segments too: read this arm's own minutes.
                for (minute, totals) in aggregator.minuteTotals(for: key) where touchedMinutes.contains(minute) {
                    minutes.append(AggregateMinuteRow(flag: key.flag, variant: key.variant, segment: nil, minute: minute, totals: totals.json))
                }
                continue
            }
            for minute in touchedMinutes {
                let start = Timestamp(minute: minute)
                let totals = aggregator.totals(flag: key.flag, variant: key.variant, segment: key.segment, from: start, through: start)
                guard totals != ArmTotals() else { continue }
                minutes.append(AggregateMinuteRow(flag: key.flag, variant: key.variant, segment: key.segment, minute: minute, totals: totals.json))
            }
        }
        var unitsByFlag: [String: [String: UnitTotals]] = [:]
        var units: [AggregateUnitRow] = []
        for reference in touchedUnits {
            if unitsByFlag[reference.flag] == nil { unitsByFlag[reference.flag] = aggregator.units(of: reference.flag) }
            if let totals = unitsByFlag[reference.flag]?[reference.unitKey] {
                units.append(AggregateUnitRow(flag: reference.flag, unitKey: reference.unitKey, totals: totals.json))
            }
        }
        return (minutes, units)
    }

    private struct UnitReference: Hashable {
        let flag: String
        let unitKey: String
    }

    /// Waits until no other batch is being folded and stored.
    private func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Lets the next waiting batch in (it inherits the turn), or frees the turn.
    private func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}

extension SeenBatchIDs {
    fileprivate mutating func insertIgnoringResult(_ batchId: String) {
        _ = insert(batchId)
    }
}
