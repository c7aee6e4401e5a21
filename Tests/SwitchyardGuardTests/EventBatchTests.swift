import SwitchyardCore
import Testing

@testable import SwitchyardGuard

@Suite struct EventBatchTests {
    static let batchText = """
        { "batchId": "b-1", "events": [
          { "type": "exposure", "flag": "ai-summary", "variant": "on", "reason": "SPLIT", "unitKey": "u-1",
            "timestamp": 1732500000000, "segment": "beta" },
          { "type": "output", "outputId": "o-1", "flag": "ai-summary", "variant": "on", "unitKey": "u-1",
            "timestamp": 1732500000100, "model": "m-2", "chars": 1200, "words": 210, "latencyMs": 850.5,
            "tokensIn": 300, "tokensOut": 280, "finishReason": "stop" },
          { "type": "output", "outputId": "o-2", "flag": "ai-summary", "variant": "on", "unitKey": "u-1",
            "timestamp": 1732500000200, "model": "m-2", "chars": 10, "words": 2, "latencyMs": -3,
            "tokensIn": 300, "tokensOut": 2, "finishReason": "stop" },
          { "type": "feedback", "outputId": "o-1", "positive": false, "timestamp": 1732500001000 },
          { "type": "edit", "outputId": "o-1", "editedLength": 1100, "editDistance": 140, "timestamp": 1732500002000 },
          { "type": "action", "outputId": "o-1", "name": "sent", "timestamp": 1732500003000 },
          { "type": "breakerTrip", "flag": "ai-summary", "variant": "on", "rule": "errorRate > 0.05 over 15m",
            "timestamp": 1732500004000 },
          { "type": "output", "outputId": "o-3", "flag": "ai-summary", "variant": "on", "unitKey": "u-2",
            "timestamp": 1732500000200, "model": "m-2", "chars": 10, "words": 2, "latencyMs": 3,
            "tokensIn": 300, "tokensOut": 2, "finishReason": "finished" },
          { "type": "feedback", "outputId": "o-1", "timestamp": 1732500001000 },
          { "type": "click" },
          42
        ] }
        """

    @Test func keepsValidEventsAndRejectsInvalidOnesByField() throws {
        let batch = try EventBatch(json: JSONValue(parsing: Self.batchText))
        #expect(batch.batchId == "b-1")
        #expect(batch.events.map(\.typeName) == ["exposure", "output", "feedback", "edit", "action", "breakerTrip"])
        #expect(
            batch.rejections.map(\.description) == [
                "events[2].latencyMs: must be a non-negative number",
                "events[7].finishReason: must be one of stop, length, error, refused, empty",
                "events[8].positive: is required",
                "events[9].type: must be one of exposure, output, feedback, edit, action, breakerTrip",
                "events[10]: must be an object",
            ]
        )
        guard case .output(let output) = batch.events[1] else {
            Issue.record("expected an output event")
            return
        }
        #expect(output.chars == 1200 && output.latencyMs == 850.5 && output.finishReason == .stop && !output.isError)
    }

    @Test func roundTripsThroughJSON() throws {
        let batch = try EventBatch(json: JSONValue(parsing: Self.batchText))
        let again = try EventBatch(json: JSONValue(parsing: batch.json.serialized()))
        #expect(again.events == batch.events)
        #expect(again.rejections.isEmpty)
    }

    @Test func rejectsAMalformedBatchAsAWhole() throws {
        #expect(throws: EventValidationError.self) { try EventBatch(json: ["events": []]) }
        do {
            _ = try EventBatch(json: ["batchId": "b", "events": "none"])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "events: must be an array")
        }
    }

    @Test func seenBatchIDsDetectsDuplicatesWithinItsBound() {
        var seen = SeenBatchIDs(capacity: 2)
        let inserted = ["a", "a", "b", "c"].map { seen.insert($0) }
        #expect(inserted == [true, false, true, true])
        #expect(!seen.contains("a"))
        #expect(seen.contains("b") && seen.contains("c"))
        #expect(seen.count == 2)
    }
}
