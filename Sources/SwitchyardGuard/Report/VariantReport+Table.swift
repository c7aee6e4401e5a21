#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension VariantReport {
    /// The report as an aligned text table with sparklines of recent history, for the CLI.
    public var table: String {
        var lines: [String] = []
        lines.append("flag \(flag), control \(control)")
        let perMetric = KillRule.format((options.alphaPerMetric * 1e6).rounded() / 1e6)
        lines.append("α = \(KillRule.format(options.alpha)) split over \(options.metrics.count) metrics (Bonferroni): \(perMetric) each")
        if let sampleRatio {
            let health = sampleRatio.isHealthy ? "healthy" : "MISMATCH"
            lines.append(
                "sample ratio: \(health) (χ² = \(Self.number(sampleRatio.chiSquared)), p = \(Self.number(sampleRatio.pValue))), multiply exposed units: \(multiplyExposedUnits)"
            )
        } else {
            lines.append("sample ratio: not checked (no weights), multiply exposed units: \(multiplyExposedUnits)")
        }
        lines.append("")
        lines += Self.align(
            [["variant", "units", "outputs"]] + arms.map { [$0.variant, String($0.units), String($0.outputs)] }, rightAligned: [1, 2])
        for treatment in treatments {
            lines.append("")
            lines.append("\(treatment.variant) vs \(control)")
            var rows = [["metric", control, treatment.variant, "Δ", "always-valid interval", "verdict", "trend"]]
            for comparison in treatment.comparisons {
                let sparkline = arm(treatment.variant)?.sparklines[comparison.metric].map(Self.sparkline) ?? ""
                let metric = comparison.metric
                let change =
                    metric.isLogScale
                    ? [
                        "×" + Self.number(exp(comparison.difference)),
                        "[×\(Self.number(exp(comparison.lower))), ×\(Self.number(exp(comparison.upper)))]",
                    ]
                    : [Self.signed(comparison.difference), "[\(Self.signed(comparison.lower)), \(Self.signed(comparison.upper))]"]
                rows.append(
                    [metric.rawValue, Self.number(metric.shown(comparison.control)), Self.number(metric.shown(comparison.treatment))] + change + [
                        comparison.verdict.rawValue, sparkline,
                    ])
            }
            lines += Self.align(rows, rightAligned: [1, 2, 3])
        }
        return lines.joined(separator: "\n")
    }

    /// Eight-level block characters scaled between the series' minimum and maximum; a gap is a space.
    static func sparkline(_ points: [Double?]) -> String {
        let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let values = points.compactMap { $0 }
        guard let low = values.min(), let high = values.max() else { return String(repeating: " ", count: points.count) }
        return String(
            points.map { point -> Character in
                guard let point else { return " " }
                guard high > low else { return levels[0] }
                return levels[min(levels.count - 1, Int((point - low) / (high - low) * Double(levels.count - 1) + 0.5))]
            })
    }

    static func align(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }
            .joined(separator: "  ")
            .trimmingTrailingSpaces()
        }
    }

    /// Four significant digits, without exponent for everyday magnitudes.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value > 0 ? "∞" : value < 0 ? "-∞" : "n/a" }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e6 || magnitude < 1e-4 { return String(format4(value)) }
        var decimals = 0
        var scaled = magnitude
        while scaled < 1000, decimals < 8 {
            scaled *= 10
            decimals += 1
        }
        return fixed(value, decimals: max(0, decimals))
    }

    static func signed(_ value: Double) -> String {
        let text = number(value)
        return value > 0 && value.isFinite ? "+" + text : text
    }

    private static func fixed(_ value: Double, decimals: Int) -> String {
        var power = 1.0
        for _ in 0..<decimals { power *= 10 }
        let rounded = (abs(value) * power).rounded()
        let whole = Int64(rounded / power)
        let fraction = Int64(rounded - Double(whole) * power)
        let sign = value < 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        let digits = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: decimals - digits.count) + digits
    }

    private static func format4(_ value: Double) -> String {
        var exponent = 0
        var mantissa = abs(value)
        while mantissa >= 10 {
            mantissa /= 10
            exponent += 1
        }
        while mantissa < 1 {
            mantissa *= 10
            exponent -= 1
        }
        return (value < 0 ? "-" : "") + fixed(mantissa, decimals: 3) + "e" + String(exponent)
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
