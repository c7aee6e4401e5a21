import SwitchyardTestSupport

@testable import SwitchyardGuard

/// How one variant behaves in a simulation.
struct VariantBehaviour {
    var errorRate = 0.02
    var medianChars = 1200.0
    var medianLatencyMs = 900.0
    var negativeFeedbackRate = 0.05
    var actionRate = 0.3
}

/// Seeded traffic for a flag "ai" with variants "off" (control) and "on" (treatment): each unit is
/// exposed once and then produces outputs, some rated, some acted on.
struct SimulatedTraffic {
    var random: SeededRandom
    var behaviours: [String: VariantBehaviour]
    var outputsPerUnit = 2
    private var nextOutput = 0

    init(seed: UInt64, behaviours: [String: VariantBehaviour]) {
        random = SeededRandom(seed: seed)
        self.behaviours = behaviours
    }

    /// Sends one unit's exposure and outputs at `time`; returns how many of its outputs were errors.
    @discardableResult
    mutating func unit(
        _ key: String, variant: String, at time: Timestamp, into aggregator: inout Aggregator, exposed: Bool = true, segment: String? = nil
    ) -> Int {
        let behaviour = behaviours[variant] ?? VariantBehaviour()
        if exposed {
            aggregator.add(.exposure(ExposureEvent(flag: "ai", variant: variant, reason: "SPLIT", unitKey: key, timestamp: time, segment: segment)))
        }
        var errors = 0
        for index in 0..<outputsPerUnit {
            nextOutput += 1
            let id = "o-\(nextOutput)"
            let failed = random.chance(behaviour.errorRate)
            if failed { errors += 1 }
            let chars = failed ? 0 : Int(random.logNormal(median: behaviour.medianChars, sigma: 0.6))
            let at = time + .seconds(Int64(index))
            aggregator.add(
                .output(
                    OutputEvent(
                        outputId: id, flag: "ai", variant: variant, unitKey: key, timestamp: at, model: "m", chars: chars, words: chars / 6,
                        latencyMs: random.logNormal(median: behaviour.medianLatencyMs, sigma: 0.4), tokensIn: 400, tokensOut: chars / 4,
                        finishReason: failed ? .error : .stop, error: failed ? "upstream timeout" : nil)))
            if random.chance(0.3) {
                aggregator.add(.feedback(FeedbackEvent(outputId: id, positive: !random.chance(behaviour.negativeFeedbackRate / 0.3), timestamp: at)))
            }
            if random.chance(behaviour.actionRate) {
                aggregator.add(.action(ActionEvent(outputId: id, name: "sent", timestamp: at)))
            }
        }
        return errors
    }
}
