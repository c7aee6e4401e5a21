/// Watches one variant of a flag with one kill rule and decides, each time it is asked, whether
/// the rule trips.
///
/// Runs on the server over the fleet's aggregates and inside each client over its own process's
/// aggregates. Tripped stays tripped until ``reset(now:)`` or the rule's cool-down; after either,
/// only data timestamped from then on counts, so stale evidence cannot trip it again. That is exact
/// to the millisecond when the caller passes the ``PartialMinute`` started at that instant;
/// without one (after a restart) the rest of that minute is skipped, so it errs on the side of
/// not counting.
public struct KillRuleEvaluator: Sendable {
    /// Whether the rule is watching or has tripped.
    public enum State: Sendable, Hashable {
        /// Watching data from `since` on.
        case armed(since: Timestamp)
        case tripped(KillRuleTrip)
    }

    /// What one evaluation concluded.
    public enum Decision: Sendable, Hashable {
        /// No evidence; the measurement says how far from it.
        case clear(KillRuleMeasurement)
        /// The rule tripped now: kill the variant, audit, alert.
        case tripped(KillRuleTrip)
        /// The rule had tripped before and has not been reset or cooled down.
        case stillTripped(KillRuleTrip)
    }

    public let rule: KillRule
    public let flag: String
    /// The variant being watched.
    public let variant: String
    /// The control variant, for ratio rules.
    public let control: String?
    public private(set) var state: State
    private var cusum: BernoulliCUSUM?
    /// The minute the CUSUM last read, and what it had read of that minute.
    private var cusumMinute: Int64
    private var cusumRead = (events: 0, trials: 0)

    /// - Parameters:
    ///   - control: the control variant; required by ratio rules.
    ///   - since: the first instant whose data counts, normally when the rule was attached.
    public init(rule: KillRule, flag: String, variant: String, control: String? = nil, since: Timestamp) {
        self.rule = rule
        self.flag = flag
        self.variant = variant
        self.control = control
        self.state = .armed(since: since)
        self.cusumMinute = since.minute
        self.cusum = Self.makeCUSUM(rule)
    }

    /// Resumes an armed rule after a restart with its fast path where it was: the CUSUM keeps its
    /// statistic and reads on from the minute it had reached, so a slowly building breach trips
    /// when it would have without the restart. A rule without a fast path ignores `cusum`.
    ///
    /// - Parameter cusum: the ``cusumState`` stored after the last evaluation before the restart.
    public init(rule: KillRule, flag: String, variant: String, control: String? = nil, since: Timestamp, resuming cusum: CUSUMState) {
        self.init(rule: rule, flag: flag, variant: variant, control: control, since: since)
        guard self.cusum != nil else { return }
        self.cusum?.statistic = cusum.statistic
        cusumMinute = cusum.minute
        cusumRead = (cusum.events, cusum.trials)
    }

    /// Resumes a tripped rule, for example after a restart, from the trip recorded in the audit log.
    public init(resuming trip: KillRuleTrip, control: String? = nil) {
        self.init(rule: trip.rule, flag: trip.flag, variant: trip.variant, control: control, since: trip.at)
        self.state = .tripped(trip)
    }

    /// The fast path's progress while the rule is armed, to store after each evaluation; `nil` for
    /// a rule without a fast path (no `baseline`) or a tripped one.
    public var cusumState: CUSUMState? {
        guard let cusum, case .armed = state else { return nil }
        return CUSUMState(statistic: cusum.statistic, minute: cusumMinute, events: cusumRead.events, trials: cusumRead.trials)
    }

    private static func makeCUSUM(_ rule: KillRule) -> BernoulliCUSUM? {
        guard let baseline = rule.baseline, case .rate = rule.metric, rule.comparison == .above else { return nil }
        return BernoulliCUSUM(p0: baseline, p1: rule.threshold)
    }

    /// Re-arms the rule (a person reset it); data before `now` no longer counts.
    public mutating func reset(now: Timestamp) {
        state = .armed(since: now)
        cusum = Self.makeCUSUM(rule)
        cusumMinute = now.minute
        cusumRead = (0, 0)
    }

    /// Evaluates the rule over the aggregates at `now`.
    ///
    /// - Parameter partials: the partial minutes started when rules of this flag were re-armed;
    ///   the one starting at this rule's re-arm instant, if there, makes the count exact.
    public mutating func evaluate(_ aggregator: Aggregator, now: Timestamp, partials: [PartialMinute] = []) -> Decision {
        let since: Timestamp
        switch state {
        case .armed(let armedSince):
            since = armedSince
        case .tripped(let trip):
            guard let rearmsAt = trip.rearmsAt, now >= rearmsAt else { return .stillTripped(trip) }
            reset(now: rearmsAt)
            since = rearmsAt
        }
        let partial = partials.first { $0.flag == flag && $0.since == since }
        let from = max(now - rule.window, since)
        let sketches = rule.readsQuantiles
        func totals(_ variant: String) -> ArmTotals {
            guard from == since, since.millisecondsSinceEpoch % 60_000 != 0 else {
                return aggregator.totals(flag: flag, variant: variant, from: from, through: now, includingSketches: sketches)
            }
            // Re-armed mid-minute: that minute only from the instant on, then whole minutes.
            var result = partial?.totals(variant: variant, includingSketches: sketches) ?? ArmTotals()
            let nextMinute = Timestamp(minute: since.minute + 1)
            if nextMinute <= now {
                result.merge(
                    aggregator.totals(flag: flag, variant: variant, from: nextMinute, through: now, includingSketches: sketches),
                    includingSketches: sketches)
            }
            return result
        }
        var measurement = rule.measure(totals(variant), control: control.map(totals), from: from, through: now)
        if !measurement.breaches, let fastPath = advanceCUSUM(aggregator, now: now, since: since, partial: partial), fastPath.alarms {
            measurement.method = .cusum
            measurement.bound = fastPath.statistic
            measurement.limit = fastPath.threshold
            measurement.breaches = true
        }
        guard measurement.breaches else { return .clear(measurement) }
        let trip = KillRuleTrip(rule: rule, flag: flag, variant: variant, at: now, measurement: measurement)
        state = .tripped(trip)
        return .tripped(trip)
    }

    /// Feeds the CUSUM every observation since it last read, minute by minute (within the window);
    /// the re-arm's own minute only from the re-arm instant on.
    private mutating func advanceCUSUM(_ aggregator: Aggregator, now: Timestamp, since: Timestamp, partial: PartialMinute?) -> BernoulliCUSUM? {
        guard var fastPath = cusum, case .rate(let rate) = rule.metric else { return nil }
        let first = max(cusumMinute, (now - rule.window).minute, since.minute)
        if first > cusumMinute { cusumRead = (0, 0) }
        for minute in first...max(first, now.minute) {
            let start = Timestamp(minute: minute)
            let minuteTotals =
                minute == since.minute && since != start
                ? partial?.totals(variant: variant, includingSketches: false) ?? ArmTotals()
                : aggregator.totals(flag: flag, variant: variant, from: start, through: start, includingSketches: false)
            let (events, trials) = rate.counts(in: minuteTotals)
            fastPath.observe(failures: events - cusumRead.events, trials: trials - cusumRead.trials)
            cusumRead = minute == now.minute ? (events, trials) : (0, 0)
        }
        cusumMinute = now.minute
        cusum = fastPath
        return fastPath
    }
}
