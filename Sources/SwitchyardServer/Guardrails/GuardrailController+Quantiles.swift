import SwitchyardCore
import SwitchyardGuard

extension GuardrailController {
    /// The 95th percentile of output length in characters per variant over the last hour, minute
    /// by minute (60 points, `nil` for a minute without outputs) and over the whole hour, from the
    /// aggregates' quantile sketches: what a `p95OutputChars` rule watches, next to the report's means.
    func outputLengthP95(of flag: String, variants: [String], in environment: String) async throws -> [String: (points: [Double?], hour: Double?)] {
        let now = clock.now
        let aggregator = try await ingestor.aggregates(of: environment, now: now).aggregator
        let start = now - .seconds(3600)
        var result: [String: (points: [Double?], hour: Double?)] = [:]
        for variant in variants {
            let points = (0..<60).map { minute -> Double? in
                let from = start + .seconds(60 * minute)
                return aggregator.totals(flag: flag, variant: variant, from: from, through: from + .seconds(60) - .milliseconds(1)).charsSketch
                    .quantile(0.95)
            }
            result[variant] = (points, aggregator.totals(flag: flag, variant: variant, from: start, through: now).charsSketch.quantile(0.95))
        }
        return result
    }
}
