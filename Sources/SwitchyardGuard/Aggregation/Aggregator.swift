#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Folds events into one-minute ``ArmTotals`` per flag × variant × segment, and into per-unit
/// ``UnitTotals`` per flag.
///
/// The server runs one over the whole fleet's events; a client runs one over its own process's
/// events for its local circuit breaker (usually without unit tracking). Pure and synchronous:
/// time comes only from the events' timestamps.
public struct Aggregator: Sendable {
    /// How an aggregator bounds its memory.
    public struct Options: Sendable {
        /// Minutes older than this, relative to the newest event seen, are dropped.
        public var retention: Duration
        /// How many recent outputs are remembered to attribute feedback, edits and actions; an
        /// output older than the retention is forgotten too.
        public var rememberedOutputs: Int
        /// Whether per-unit totals are kept (needed for comparisons and rollouts; a client's local
        /// breaker does without).
        public var tracksUnits: Bool

        public init(retention: Duration = .seconds(2 * 86_400), rememberedOutputs: Int = 200_000, tracksUnits: Bool = true) {
            self.retention = retention
            self.rememberedOutputs = rememberedOutputs
            self.tracksUnits = tracksUnits
        }
    }

    public let options: Options
    var minutes: [ArmKey: [Int64: ArmTotals]] = [:]
    var units: [String: [String: UnitTotals]] = [:]
    var outputs: RecentMap<RememberedOutput>
    private var newestMinute = Int64.min
    /// Feedback, edit and action events whose output was not (or no longer) known.
    public private(set) var unattributedFollowUps = 0

    public init(options: Options = Options()) {
        self.options = options
        self.outputs = RecentMap(capacity: options.rememberedOutputs)
    }

    /// Folds a sequence of events.
    public mutating func add(contentsOf events: some Sequence<GuardEvent>) {
        var ignored = IgnoredChanges()
        for event in events { fold(event, recording: &ignored) }
    }

    /// Folds a sequence of events and adds what they changed to `changes`: every one-minute
    /// bucket and unit they touched (follow-ups included, through their output) and every output
    /// they made the aggregator remember. A store that writes exactly these keeps what the
    /// aggregator holds.
    public mutating func add(contentsOf events: some Sequence<GuardEvent>, changes: inout AggregateChanges) {
        for event in events { fold(event, recording: &changes) }
    }

    /// Folds one event. Events older than the retention are ignored.
    public mutating func add(_ event: GuardEvent) {
        var ignored = IgnoredChanges()
        fold(event, recording: &ignored)
    }

    private mutating func fold(_ event: GuardEvent, recording changes: inout some ChangeRecorder) {
        let minute = event.timestamp.minute
        if minute > newestMinute { advance(to: minute) }
        guard minute > newestMinute - retentionMinutes else { return }
        switch event {
        case .exposure(let exposure):
            let segment = exposure.segment
            if options.tracksUnits {
                units[exposure.flag, default: [:]][exposure.unitKey, default: UnitTotals(variant: exposure.variant)]
                    .recordExposure(variant: exposure.variant, segment: segment)
                changes.changed(UnitReference(flag: exposure.flag, unitKey: exposure.unitKey))
            }
            let key = ArmKey(flag: exposure.flag, variant: exposure.variant, segment: segment)
            minutes[key, default: [:]][minute, default: ArmTotals()].exposures += 1
            changes.changed(ArmMinute(key: key, minute: minute))
        case .output(let output):
            var segment: String?
            if options.tracksUnits {
                segment = units[output.flag, default: [:]][output.unitKey, default: UnitTotals(variant: output.variant)]
                    .recordOutput(output)
                changes.changed(UnitReference(flag: output.flag, unitKey: output.unitKey))
            }
            let key = ArmKey(flag: output.flag, variant: output.variant, segment: segment)
            minutes[key, default: [:]][minute, default: ArmTotals()].add(output)
            changes.changed(ArmMinute(key: key, minute: minute))
            let remembered = RememberedOutput(outputId: output.outputId, key: key, unitKey: output.unitKey, timestamp: output.timestamp)
            if outputs.insert(remembered, for: output.outputId) { changes.remembered(remembered) }
        case .feedback(let feedback):
            followUp(feedback.outputId, minute: minute, recording: &changes) { totals in
                if feedback.positive { totals.positiveFeedback += 1 } else { totals.negativeFeedback += 1 }
            } unit: { unit in
                if feedback.positive { unit.positiveFeedback += 1 } else { unit.negativeFeedback += 1 }
            }
        case .edit(let edit):
            followUp(edit.outputId, minute: minute, recording: &changes) { totals in
                totals.edits += 1
                totals.editDistance += edit.editDistance
            } unit: { unit in
                unit.edits += 1
            }
        case .action(let action):
            followUp(action.outputId, minute: minute, recording: &changes) {
                $0.actions += 1
            } unit: {
                $0.actions += 1
            }
        case .breakerTrip(let trip):
            let key = ArmKey(flag: trip.flag, variant: trip.variant)
            minutes[key, default: [:]][minute, default: ArmTotals()].breakerTrips += 1
            changes.changed(ArmMinute(key: key, minute: minute))
        }
    }

    private mutating func followUp(
        _ outputId: String, minute: Int64, recording changes: inout some ChangeRecorder, totals: (inout ArmTotals) -> Void,
        unit: (inout UnitTotals) -> Void
    ) {
        guard let origin = outputs[outputId], origin.timestamp.minute > newestMinute - retentionMinutes else {
            unattributedFollowUps += 1
            return
        }
        totals(&minutes[origin.key, default: [:]][minute, default: ArmTotals()])
        changes.changed(ArmMinute(key: origin.key, minute: minute))
        if options.tracksUnits, units[origin.key.flag]?[origin.unitKey] != nil {
            unit(&units[origin.key.flag]![origin.unitKey]!)
            units[origin.key.flag]![origin.unitKey]!.isActive = true
            changes.changed(UnitReference(flag: origin.key.flag, unitKey: origin.unitKey))
        }
    }

    private var retentionMinutes: Int64 { max(1, options.retention.milliseconds / 60_000) }

    /// Moves the newest minute forward and drops minutes that fell out of the retention.
    private mutating func advance(to minute: Int64) {
        let previous = newestMinute
        newestMinute = minute
        guard previous != Int64.min, minute / 60 != previous / 60 else { return }
        let oldest = minute - retentionMinutes
        for key in minutes.keys {
            minutes[key] = minutes[key]!.filter { $0.key > oldest }
        }
    }

    /// Puts back a minute of totals, for example read from the store after a restart; adds to
    /// whatever the minute already holds.
    public mutating func restore(_ totals: ArmTotals, for key: ArmKey, minute: Int64) {
        if minute > newestMinute { advance(to: minute) }
        minutes[key, default: [:]][minute, default: ArmTotals()].merge(totals)
    }

    /// Puts back a remembered output, for example read from the store after a restart. Restore
    /// them oldest first: once `options.rememberedOutputs` are held, each one forgets
    /// the oldest, as when they were first added.
    public mutating func restore(_ output: RememberedOutput) {
        _ = outputs.insert(output, for: output.outputId)
    }

    /// Starts a new analysis period for `flag`'s units, as each rollout stage must: per-unit totals
    /// start from zero, and a unit is counted again (in whichever variant it now gets) once it shows
    /// up. Whether a unit was ever exposed is kept, since clients do not repeat exposures they
    /// already sent.
    public mutating func startAnalysis(of flag: String) {
        guard let current = units[flag] else { return }
        units[flag] = current.mapValues(\.carriedOver)
    }
}

extension UnitTotals {
    mutating func recordExposure(variant: String, segment: String?) {
        noteVariant(variant)
        exposures += 1
        if let segment { self.segment = segment }
    }

    /// Records an output and returns the unit's segment.
    mutating func recordOutput(_ output: OutputEvent) -> String? {
        noteVariant(output.variant)
        outputs += 1
        if output.isError { errors += 1 }
        switch output.finishReason {
        case .empty: emptyOutputs += 1
        case .length: truncatedOutputs += 1
        case .refused: refusedOutputs += 1
        case .stop, .error: break
        }
        if !output.isError {
            completedOutputs += 1
            logChars += log1p(Double(output.chars))
        }
        latencyMs += output.latencyMs
        tokensOut += Double(output.tokensOut)
        return segment
    }
}
