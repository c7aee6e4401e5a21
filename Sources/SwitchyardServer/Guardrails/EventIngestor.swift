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
///
/// With a store shared by several servers (``FleetAggregates``) each server stores only what it
/// ingested itself; ``aggregates(of:now:)`` reads the fleet's sum, which is what kill rules,
/// rollouts and reports use. Each server then also stores its part of the kill rules' re-arm
/// minutes (``PartialMinute``) and tags its per-unit totals with the rollout stage they belong to.
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
    /// The analysis period of each flag's per-unit totals (when its rollout stage's analysis began,
    /// in milliseconds since the epoch), per environment.
    private var periods: [String: [String: Int64]] = [:]
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// The fleet's sum, when the store is shared by several servers.
    private let fleet: FleetView?
    private let fleetStore: (any FleetAggregates)?

    init(store: any GuardrailStore, retention: Duration, logger: Logger) {
        self.store = store
        self.options = Aggregator.Options(retention: retention)
        self.logger = logger
        self.fleetStore = store.fleetAggregates
        self.fleet = fleetStore.map { FleetView(store: $0, retention: retention) }
    }

    /// The aggregates kill rules, rollouts and reports read, with the re-arm minutes: the fleet's sum
    /// when the store is shared, else this server's.
    func aggregates(of environment: String, now: Timestamp) async throws -> (aggregator: Aggregator, partials: [PartialMinute]) {
        guard let fleet else { return (aggregator(of: environment), partialMinutes(of: environment)) }
        return try await fleet.aggregates(of: environment, now: now)
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
        do {
            try await recallOutputs(followedUpIn: batch, into: &aggregator, in: environment)
        } catch {
            aggregators[environment] = aggregator
            throw error
        }
        var changes = AggregateChanges()
        aggregator.add(contentsOf: batch.events, changes: &changes)
        let rows = Self.rows(of: changes, in: aggregator, periods: periods[environment] ?? [:])
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
        for case .output(let output) in batch.events { lastOutputs[environment, default: [:]][output.flag] = now }
        guard let fleetStore else {
            for index in partials[environment, default: []].indices { partials[environment]![index].add(contentsOf: batch.events) }
            return .accepted
        }
        var changedPartials: [AggregatePartialRow] = []
        for index in partials[environment, default: []].indices {
            let before = partials[environment]![index].totalsByVariant
            partials[environment]![index].add(contentsOf: batch.events)
            let partial = partials[environment]![index]
            for (variant, totals) in partial.totalsByVariant where before[variant] != totals {
                changedPartials.append(
                    AggregatePartialRow(flag: partial.flag, since: partial.since.millisecondsSinceEpoch, variant: variant, totals: totals.json))
            }
        }
        // After the batch: should this fail, the re-arm minute misses these events (it never counts
        // events from before the re-arm).
        do {
            try await fleetStore.recordPartialMinutes(changedPartials, in: environment)
        } catch {
            logger.warning("cannot store a re-arm minute", metadata: ["environment": .string(environment), "error": "\(error)"])
        }
        return .accepted
    }

    /// Follows what the server running the rules and rollouts decided (read from the store after
    /// another server changed them): counts the re-arm minutes of rules re-armed in the last minute
    /// from their exact instant, and starts a new analysis period for each flag whose rollout began
    /// a stage.
    func follow(rules: [StoredKillRule], stages: [String: Int64], in environment: String, now: Timestamp) async {
        for rule in rules where rule.trip == nil {
            let armedAt = Timestamp(millisecondsSinceEpoch: rule.armedAt)
            if armedAt.minute >= now.minute - 1 { startPartialMinute(of: rule.flag, at: armedAt, in: environment) }
        }
        for (flag, period) in stages where period > periods[environment]?[flag] ?? 0 {
            await acquire()
            var aggregator = aggregators.removeValue(forKey: environment) ?? Aggregator(options: options)
            aggregator.startAnalysis(of: flag)
            aggregators[environment] = aggregator
            periods[environment, default: [:]][flag] = period
            release()
        }
    }

    /// With a shared store, reads back the outputs another server remembered whose follow-ups this
    /// batch carries, so that they are attributed wherever the output was ingested.
    private func recallOutputs(followedUpIn batch: EventBatch, into aggregator: inout Aggregator, in environment: String) async throws {
        guard let fleetStore else { return }
        var unknown: Set<String> = []
        for event in batch.events {
            let outputId: String
            switch event {
            case .feedback(let feedback): outputId = feedback.outputId
            case .edit(let edit): outputId = edit.outputId
            case .action(let action): outputId = action.outputId
            case .exposure, .output, .breakerTrip: continue
            }
            if !aggregator.remembers(outputId) { unknown.insert(outputId) }
        }
        guard !unknown.isEmpty else { return }
        for row in try await fleetStore.rememberedOutputs(withIds: unknown.sorted(), in: environment) {
            aggregator.restore(
                RememberedOutput(
                    outputId: row.outputId, key: ArmKey(flag: row.flag, variant: row.variant, segment: row.segment), unitKey: row.unitKey,
                    timestamp: Timestamp(millisecondsSinceEpoch: row.at)))
        }
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

    /// When `flag` last received an output event: the time this server accepted one, or the start of
    /// the newest minute of the aggregates (the fleet's, with a shared store) holding one if later.
    func lastOutput(of flag: String, in environment: String, now: Timestamp) async throws -> Timestamp? {
        let accepted = lastOutputs[environment]?[flag]
        let newest = try await aggregates(of: environment, now: now).aggregator.newestOutputMinute(of: flag).map { Timestamp(minute: $0) }
        guard let accepted, let newest else { return accepted ?? newest }
        return max(accepted, newest)
    }

    /// Restarts the per-unit analysis of a flag (a rollout stage began at `period`, in milliseconds
    /// since the epoch) and stores the result.
    func startAnalysis(of flag: String, in environment: String, period: Int64) async throws {
        await acquire()
        defer { release() }
        var aggregator = aggregators.removeValue(forKey: environment) ?? Aggregator(options: options)
        aggregator.startAnalysis(of: flag)
        aggregators[environment] = aggregator
        periods[environment, default: [:]][flag] = max(period, periods[environment]?[flag] ?? 0)
        let period = periods[environment]![flag]!
        let units = aggregator.units(of: flag).map { AggregateUnitRow(flag: flag, unitKey: $0.key, totals: $0.value.json, period: period) }
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
        var periods: [String: Int64] = [:]
        for row in stored.units {
            aggregator.restore(try UnitTotals(json: row.totals), unitKey: row.unitKey, flag: row.flag)
            periods[row.flag] = max(periods[row.flag] ?? 0, row.period)
        }
        self.periods[environment, default: [:]].merge(periods) { max($0, $1) }
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
        of changes: AggregateChanges, in aggregator: Aggregator, periods: [String: Int64]
    ) -> (minutes: [AggregateMinuteRow], units: [AggregateUnitRow], outputs: [RememberedOutputRow]) {
        let minutes = changes.minutes.compactMap { bucket in
            aggregator.totals(for: bucket.key, minute: bucket.minute).map {
                AggregateMinuteRow(
                    flag: bucket.key.flag, variant: bucket.key.variant, segment: bucket.key.segment, minute: bucket.minute, totals: $0.json)
            }
        }
        let units = changes.units.compactMap { unit in
            aggregator.unit(unit.unitKey, of: unit.flag).map {
                AggregateUnitRow(flag: unit.flag, unitKey: unit.unitKey, totals: $0.json, period: periods[unit.flag] ?? 0)
            }
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
