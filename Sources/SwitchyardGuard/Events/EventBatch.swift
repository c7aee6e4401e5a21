import SwitchyardCore

/// A batch of events as posted to `POST /api/v1/events`: `{ "batchId": "...", "events": [...] }`.
///
/// Decoding keeps every valid event and rejects invalid ones individually, each with the path of
/// the offending field.
public struct EventBatch: Sendable, Hashable {
    /// The most events one batch may carry.
    public static let maximumEvents = 10_000

    /// Identifies the batch so that a batch sent twice is counted once (see ``SeenBatchIDs``).
    public var batchId: String
    /// The events that passed validation, in their original order.
    public var events: [GuardEvent]
    /// The events that failed validation, with the reason.
    public var rejections: [EventValidationError]

    public init(batchId: String, events: [GuardEvent], rejections: [EventValidationError] = []) {
        self.batchId = batchId
        self.events = events
        self.rejections = rejections
    }

    /// Decodes a batch; throws only when the batch itself is malformed (not an object, no
    /// `batchId`, `events` not an array or too long).
    public init(json: JSONValue) throws(EventValidationError) {
        guard let members = json.objectValue else { throw .wrongType("batch", expected: "an object") }
        guard let batchValue = members["batchId"], !batchValue.isNull else { throw .missing("batchId") }
        guard let batchId = batchValue.stringValue else { throw .wrongType("batchId", expected: "a string") }
        guard !batchId.isEmpty else { throw .empty("batchId") }
        guard batchId.utf8.count <= EventFields.maximumIdentifierBytes else {
            throw .tooLong("batchId", maximum: EventFields.maximumIdentifierBytes)
        }
        guard let eventsValue = members["events"], !eventsValue.isNull else { throw .missing("events") }
        guard let elements = eventsValue.arrayValue else { throw .wrongType("events", expected: "an array") }
        guard elements.count <= Self.maximumEvents else {
            throw .wrongType("events", expected: "an array of at most \(Self.maximumEvents) events")
        }
        var events: [GuardEvent] = []
        events.reserveCapacity(elements.count)
        var rejections: [EventValidationError] = []
        for (index, element) in elements.enumerated() {
            do {
                events.append(try GuardEvent(json: element, path: "events[\(index)]"))
            } catch {
                rejections.append(error)
            }
        }
        self.init(batchId: batchId, events: events, rejections: rejections)
    }

    /// The batch as JSON, in the documented schema (rejections are not part of it).
    public var json: JSONValue {
        ["batchId": .string(batchId), "events": .array(events.map(\.json))]
    }
}
