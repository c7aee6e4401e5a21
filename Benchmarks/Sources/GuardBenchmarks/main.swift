// Ingestion throughput of SwitchyardGuard: batches of 500 events, decoded from JSON text and
// folded into the aggregates. Run with `swift run -c release GuardBenchmarks` from Benchmarks/.
import SwitchyardCore
import SwitchyardGuard

let batchSize = 500
let batchCount = 400
let start = Timestamp(millisecondsSinceEpoch: 1_732_500_000_000)

/// A realistic mix: per unit, one exposure, two outputs, and some feedback, edits and actions.
func makeBatch(_ number: Int) -> EventBatch {
    var events: [GuardEvent] = []
    var index = 0
    while events.count < batchSize {
        let serial = number * batchSize + index
        index += 1
        let unit = "user-\(serial % 50_000)"
        let variant = serial % 10 == 0 ? "on" : "off"
        let time = start + .milliseconds(Int64(serial) * 20)
        let outputId = "out-\(serial)"
        switch serial % 5 {
        case 0:
            events.append(.exposure(ExposureEvent(flag: "ai-summary", variant: variant, reason: "SPLIT", unitKey: unit, timestamp: time)))
        case 1, 2:
            events.append(
                .output(
                    OutputEvent(
                        outputId: outputId, flag: "ai-summary", variant: variant, unitKey: unit, timestamp: time, model: "model-2",
                        chars: 800 + serial % 1500, words: 150 + serial % 200, latencyMs: Double(400 + serial % 3000), tokensIn: 420,
                        tokensOut: 200 + serial % 300, finishReason: serial % 50 == 1 ? .error : .stop, error: serial % 50 == 1 ? "timeout" : nil)))
        case 3:
            events.append(.feedback(FeedbackEvent(outputId: "out-\(serial - 1)", positive: serial % 7 != 0, timestamp: time)))
        default:
            events.append(.action(ActionEvent(outputId: "out-\(serial - 2)", name: "sent", timestamp: time)))
        }
    }
    return EventBatch(batchId: "batch-\(number)", events: events)
}

let texts = (0..<batchCount).map { makeBatch($0).json.serialized() }
let clock = ContinuousClock()

var decoded: [EventBatch] = []
let decodeTime = clock.measure {
    for text in texts { decoded.append(try! EventBatch(json: JSONValue(parsing: text))) }
}

var aggregator = Aggregator()
var seen = SeenBatchIDs()
let aggregateTime = clock.measure {
    for batch in decoded where seen.insert(batch.batchId) {
        aggregator.add(contentsOf: batch.events)
    }
}

let events = Double(batchSize * batchCount)
func perSecond(_ duration: Duration) -> Int { Int(events / (Double(duration.milliseconds) / 1000)) }
print("events: \(Int(events)) in batches of \(batchSize)")
print("decode JSON text → events: \(perSecond(decodeTime)) events/s")
print("aggregate events:          \(perSecond(aggregateTime)) events/s")
print("decode + aggregate:        \(perSecond(decodeTime + aggregateTime)) events/s")
