import Benchmark
import SwitchyardCore
import SwitchyardGuard

/// Ingestion of issue 5: batches of 500 events (exposures, outputs, feedback, actions) decoded from
/// JSON text and folded into the aggregates. Each iteration is one batch, so events per second are
/// 500 × the throughput shown. The target is ≥ 100,000 events/s, i.e. ≥ 200 batches/s.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        maxDuration: .seconds(3)
    )

    let batchSize = 500
    let start = Timestamp(millisecondsSinceEpoch: 1_732_500_000_000)
    /// A realistic mix: per unit one exposure, two outputs, a rating and an action.
    func makeBatch(_ number: Int) -> EventBatch {
        let events = (0..<batchSize).map { index -> GuardEvent in
            let serial = number * batchSize + index
            let unit = "user-\(serial % 50_000)"
            let variant = serial % 10 == 0 ? "on" : "off"
            let time = start + .milliseconds(Int64(serial) * 20)
            switch serial % 5 {
            case 0:
                return .exposure(ExposureEvent(flag: "ai-summary", variant: variant, reason: "SPLIT", unitKey: unit, timestamp: time))
            case 1, 2:
                let failed = serial % 50 == 1
                return .output(
                    OutputEvent(
                        outputId: "out-\(serial)", flag: "ai-summary", variant: variant, unitKey: unit, timestamp: time, model: "model-2",
                        chars: 800 + serial % 1500, words: 150 + serial % 200, latencyMs: Double(400 + serial % 3000), tokensIn: 420,
                        tokensOut: 200 + serial % 300, finishReason: failed ? .error : .stop, error: failed ? "timeout" : nil))
            case 3:
                return .feedback(FeedbackEvent(outputId: "out-\(serial - 1)", positive: serial % 7 != 0, timestamp: time))
            default:
                return .action(ActionEvent(outputId: "out-\(serial - 2)", name: "sent", timestamp: time))
            }
        }
        return EventBatch(batchId: "batch-\(number)", events: events)
    }
    let batches = (0..<200).map(makeBatch)
    let texts = batches.map { $0.json.serialized() }

    Benchmark("aggregate a batch of 500 events") { benchmark in
        var aggregator = Aggregator()
        for iteration in benchmark.scaledIterations {
            aggregator.add(contentsOf: batches[iteration % batches.count].events)
        }
        blackHole(aggregator)
    }
    Benchmark("decode and aggregate a batch of 500 events") { benchmark in
        var aggregator = Aggregator()
        var seen = SeenBatchIDs()
        for iteration in benchmark.scaledIterations {
            let batch = try! EventBatch(json: JSONValue(parsing: texts[iteration % texts.count]))
            _ = seen.insert("\(batch.batchId)-\(iteration)")
            aggregator.add(contentsOf: batch.events)
        }
        blackHole(aggregator)
    }
}
