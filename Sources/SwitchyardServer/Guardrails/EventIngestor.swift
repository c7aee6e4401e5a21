import Logging
import SwitchyardCore
import SwitchyardGuard
import SwitchyardStore

/// Folds accepted event batches into one ``Aggregator`` per environment and makes them durable.
///
/// A batch is accepted only once the store has recorded its id together with exactly what the
/// aggregator reports it changed (``AggregateChanges``: every one-minute arm total and per-unit
/// total, follow-ups included, and the outputs it now remembers), in one transaction; batches are
/// folded one at a time so that each transaction writes what the aggregator holds. A batch id seen
/// before is counted once. At start the aggregates, remembered outputs and recent batch ids are
/// read back from the store, so follow-ups to outputs from before a restart are attributed as
/// without it, and batches sent again are recognised without reading everything back.
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
    /// The partial minutes started where kill rules were re-armed, newest last, per environment.
    private var partials: [String: [PartialMinute]] = [:]
    /// When an output event of each flag was last accepted, per environment (since the start; the
    /// aggregates' newest minute with outputs before that).
    private var lastOutputs: [String: [String: Timestamp]] = [:]
    /// The most partial minutes kept per environment; older ones have no effect after a minute anyway.
    static let maximumPartialMinutes = 256
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(store: any GuardrailStore, retention: Duration, logger: Logger) {
        self.store = store
        self.options = Aggregator.Options(retention: retention)
        self.logger = logger
    }

    /// Reads an environment's aggregates and its most recent batch ids back from the store, so that
    /// batches clients send again after a restart are recognised as duplicates at once.
    func load(_ environment: String, now: Timestamp) async throws {
        await acquire()
        defer { release() }
        try await reload(environment, now: now)
        var ids = SeenBatchIDs()
        for id in try await store.recentEventBatchIds(in: environment, limit: ids.capacity) { ids.insertIgnoringResult(id) }
        seen[environment] = ids
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
        var changes = AggregateChanges()
        aggregator.add(contentsOf: batch.events, changes: &changes)
        let rows = Self.rows(of: changes, in: aggregator)
        let recorded: Bool
        do {
            recorded = try await store.recordEventBatch(
                batch.batchId, in: environment, minutes: rows.minutes, units: rows.units, outputs: rows.outputs,
                keepingOutputs: options.rememberedOutputs)
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
        for index in partials[environment, default: []].indices { partials[environment]![index].add(contentsOf: batch.events) }
        for case .output(let output) in batch.events { lastOutputs[environment, default: [:]][output.flag] = now }
        return .accepted
    }

    /// Starts counting `flag`'s events from `instant` exactly (a kill rule re-armed then); see
    /// ``PartialMinute``.
    func startPartialMinute(of flag: String, at instant: Timestamp, in environment: String) {
        var list = partials[environment, default: []].filter { $0.since.minute >= instant.minute - 1 || $0.flag != flag }
        if !list.contains(where: { $0.flag == flag && $0.since == instant }) { list.append(PartialMinute(flag: flag, since: instant)) }
        partials[environment] = Array(list.suffix(Self.maximumPartialMinutes))
    }

    /// The partial minutes of an environment, for the kill rules' evaluation.
    func partialMinutes(of environment: String) -> [PartialMinute] {
        partials[environment] ?? []
    }

    /// When `flag` last received an output event: the time it was accepted since this server
    /// started, else the start of the newest minute of the aggregates holding one of its outputs.
    func lastOutput(of flag: String, in environment: String) -> Timestamp? {
        if let accepted = lastOutputs[environment]?[flag] { return accepted }
        return aggregators[environment]?.newestOutputMinute(of: flag).map { Timestamp(minute: $0) }
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
        try await store.pruneAggregates(in: environment, before: oldest)
        let stored = try await store.aggregates(in: environment, fromMinute: oldest)
        var aggregator = Aggregator(options: options)
        for row in stored.minutes {
            aggregator.restore(
                try ArmTotals(json: row.totals), for: ArmKey(flag: row.flag, variant: row.variant, segment: row.segment), minute: row.minute)
        }
        for row in stored.units {
            aggregator.restore(try UnitTotals(json: row.totals), unitKey: row.unitKey, flag: row.flag)
        }
        for row in stored.outputs {
            aggregator.restore(
                RememberedOutput(
                    outputId: row.outputId, key: ArmKey(flag: row.flag, variant: row.variant, segment: row.segment), unitKey: row.unitKey,
                    timestamp: Timestamp(millisecondsSinceEpoch: row.at)))
        }
        aggregators[environment] = aggregator
    }

    /// The rows of what a batch changed, read from the aggregator after the batch.
    private static func rows(
        of changes: AggregateChanges, in aggregator: Aggregator
    ) -> (minutes: [AggregateMinuteRow], units: [AggregateUnitRow], outputs: [RememberedOutputRow]) {
        let minutes = changes.minutes.compactMap { bucket in
            aggregator.totals(for: bucket.key, minute: bucket.minute).map {
                AggregateMinuteRow(
                    flag: bucket.key.flag, variant: bucket.key.variant, segment: bucket.key.segment, minute: bucket.minute, totals: $0.json)
            }
        }
        let units = changes.units.compactMap { unit in
            aggregator.unit(unit.unitKey, of: unit.flag).map { AggregateUnitRow(flag: unit.flag, unitKey: unit.unitKey, totals: $0.json) }
        }
        let outputs = changes.outputs.map { output in
            RememberedOutputRow(
                outputId: output.outputId, flag: output.key.flag, variant: output.key.variant, segment: output.key.segment, unitKey: output.unitKey,
                at: output.timestamp.millisecondsSinceEpoch)
        }
        return (minutes, units, outputs)
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
