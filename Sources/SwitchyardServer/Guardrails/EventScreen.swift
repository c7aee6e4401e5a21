import SwitchyardCore
import SwitchyardGuard

/// What `POST /api/v1/events` keeps of a decoded batch: events the aggregates can take and that name
/// what the environment serves. Every other event is rejected on its own, with its path and, for a
/// misspelled name, the likely intended one, so that no evidence is lost silently.
struct EventScreen {
    /// How far ahead of the server's clock an event may be (clients' clocks drift).
    static let allowedClockSkew = Duration.seconds(300)
    /// Timestamps below this (March 1973 in milliseconds) are taken for seconds since the epoch:
    /// no retention reaches that far back.
    static let smallestMillisecondTimestamp: Int64 = 100_000_000_000

    let now: Timestamp
    let retention: Duration
    /// The environment the SDK key belongs to.
    let environment: String
    /// The environment's served document: its flags and variants are what events may name.
    let document: FlagDocument?
    /// The environment's segment names, which an exposure's `segment` may name besides the
    /// segment stages of a flag's rollout plan.
    let segments: (_ flag: String) -> Set<String>
    /// The environment's aggregates, for the flag × variant × segment arms they already hold.
    let aggregates: Aggregator
    /// The most arms the aggregates may hold; events that would add more are refused (each arm
    /// costs a series of minute totals, kept for the retention).
    let maximumArms: Int

    /// The events kept, and a rejection (`{"path", "message"}`) for each event left out. Throws a
    /// 400 for a batch whose timestamps are in seconds, since every event of it would be lost.
    func screen(_ batch: EventBatch) throws -> (batch: EventBatch, rejected: [JSONValue], overLimit: Int) {
        let invalid = Set(batch.rejections.compactMap(\.eventIndex))
        var kept: [GuardEvent] = []
        var rejected: [JSONValue] = []
        var added: Set<ArmKey> = []
        var overLimit = 0
        var index = 0
        for event in batch.events {
            while invalid.contains(index) { index += 1 }
            defer { index += 1 }
            let path = "events[\(index)]"
            if event.timestamp.millisecondsSinceEpoch >= 0, event.timestamp.millisecondsSinceEpoch < Self.smallestMillisecondTimestamp {
                throw APIError.badRequest(
                    "\(event.timestamp.millisecondsSinceEpoch) looks like seconds since the epoch; timestamps are milliseconds "
                        + "(multiply by 1000)", path: "\(path).timestamp")
            }
            // The arm this event would add to the aggregates, when it holds no data yet.
            let newArm = Self.arm(of: event).flatMap { aggregates.holds($0) ? nil : $0 }
            if let problem = problem(with: event) {
                rejected.append(["path": .string("\(path).\(problem.member)"), "message": .string("\(path).\(problem.member): \(problem.message)")])
            } else if let newArm, !added.contains(newArm), aggregates.armCount + added.count >= maximumArms {
                overLimit += 1
                rejected.append([
                    "path": .string(path),
                    "message": .string(
                        "\(path): \(environment) already holds \(maximumArms) flag × variant × segment arms in its aggregates (the limit)"),
                ])
            } else {
                if let newArm { added.insert(newArm) }
                kept.append(event)
            }
        }
        return (EventBatch(batchId: batch.batchId, events: kept, rejections: batch.rejections), rejected, overLimit)
    }

    /// The arm an event adds to (an output's segment is its unit's, known only to the aggregator:
    /// counted here without one).
    private static func arm(of event: GuardEvent) -> ArmKey? {
        switch event {
        case .exposure(let exposure): ArmKey(flag: exposure.flag, variant: exposure.variant, segment: exposure.segment)
        case .output(let output): ArmKey(flag: output.flag, variant: output.variant)
        case .breakerTrip(let trip): ArmKey(flag: trip.flag, variant: trip.variant)
        case .feedback, .edit, .action: nil
        }
    }

    private func problem(with event: GuardEvent) -> (member: String, message: String)? {
        if event.timestamp > now + Self.allowedClockSkew {
            return ("timestamp", "is more than \(Self.allowedClockSkew.compactText) ahead of the server's clock")
        }
        if event.timestamp < now - retention {
            return ("timestamp", "is older than the \(retention.compactText) retention")
        }
        switch event {
        case .exposure(let exposure):
            if let problem = problem(flag: exposure.flag, variant: exposure.variant) { return problem }
            if let segment = exposure.segment, !segments(exposure.flag).contains(segment) {
                return ("segment", "no segment \"\(segment)\" in \(environment)\(Suggestion.hint(for: segment, among: segments(exposure.flag)))")
            }
            return nil
        case .output(let output): return problem(flag: output.flag, variant: output.variant)
        case .breakerTrip(let trip): return problem(flag: trip.flag, variant: trip.variant)
        case .feedback, .edit, .action: return nil
        }
    }

    private func problem(flag key: String, variant: String) -> (member: String, message: String)? {
        let flags = document?.flags ?? [:]
        guard let flag = flags[key] else {
            return ("flag", "no flag \"\(key)\" in \(environment)\(Suggestion.hint(for: key, among: flags.keys))")
        }
        guard flag.variants[variant] != nil else {
            return ("variant", "flag \"\(key)\" has no variant \"\(variant)\"\(Suggestion.hint(for: variant, among: flag.variants.keys))")
        }
        return nil
    }
}

extension EventValidationError {
    /// The index of the event a rejection names (`events[3].latencyMs` → 3).
    var eventIndex: Int? {
        guard path.hasPrefix("events["), let close = path.firstIndex(of: "]") else { return nil }
        return Int(path[path.index(path.startIndex, offsetBy: 7)..<close])
    }
}
