import SwitchyardCore
import SwitchyardGuard

extension EventBatch {
    /// How far ahead of the server's clock an event may be (clients' clocks drift).
    static let allowedClockSkew = Duration.seconds(300)

    /// The batch without the events whose timestamp the aggregates cannot take, with a rejection
    /// for each: more than ``allowedClockSkew`` in the future (one such event would push every
    /// minute out of the retention), or older than the retention.
    func keepingTimestamps(near now: Timestamp, retention: Duration) -> (batch: EventBatch, rejected: [JSONValue]) {
        let rejectedIndices = Set(rejections.compactMap(\.eventIndex))
        let latest = now + Self.allowedClockSkew
        let earliest = now - retention
        var kept: [GuardEvent] = []
        var rejected: [JSONValue] = []
        var index = 0
        for event in events {
            while rejectedIndices.contains(index) { index += 1 }
            let path = "events[\(index)].timestamp"
            if event.timestamp > latest {
                rejected.append(["path": .string(path), "message": .string("\(path): is more than \(Self.allowedClockSkew.compactText) ahead of the server's clock")])
            } else if event.timestamp < earliest {
                rejected.append(["path": .string(path), "message": .string("\(path): is older than the \(retention.compactText) retention")])
            } else {
                kept.append(event)
            }
            index += 1
        }
        return (EventBatch(batchId: batchId, events: kept, rejections: rejections), rejected)
    }
}

extension EventValidationError {
    /// The index of the event a rejection names (`events[3].latencyMs` → 3).
    var eventIndex: Int? {
        guard path.hasPrefix("events["), let close = path.firstIndex(of: "]") else { return nil }
        return Int(path[path.index(path.startIndex, offsetBy: 7)..<close])
    }
}
