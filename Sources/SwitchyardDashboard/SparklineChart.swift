import Foundation
import SwitchyardCore

/// A small line chart of one metric per variant, minute by minute, as inline SVG drawn on the
/// server. Text in it is escaped here, since it is inserted as markup.
struct SparklineChart {
    static let colors = ["#0a58ca", "#c2410c", "#6d28d9", "#0f766e"]
    static let width = 320.0
    static let height = 120.0
    static let padding = 8.0

    let title: String
    /// Per variant, the points oldest first (`nil` for a minute without data).
    let series: [(variant: String, points: [Double?])]

    var svg: String {
        let values = series.flatMap { $0.points.compactMap { $0 } }.filter(\.isFinite)
        let low = min(values.min() ?? 0, 0)
        var high = values.max() ?? 1
        if high <= low { high = low + 1 }
        let count = max(series.map(\.points.count).max() ?? 1, 2)
        func x(_ index: Int) -> Double { Self.padding + Double(index) / Double(count - 1) * (Self.width - 2 * Self.padding) }
        func y(_ value: Double) -> Double { Self.height - Self.padding - (value - low) / (high - low) * (Self.height - 2 * Self.padding) }
        var shapes: [String] = []
        for (position, line) in series.enumerated() {
            let color = Self.colors[position % Self.colors.count]
            var run: [String] = []
            func flush() {
                if run.count > 1 {
                    shapes.append("<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(run.joined(separator: " "))\"/>")
                } else if let point = run.first {
                    let parts = point.split(separator: ",")
                    shapes.append("<circle cx=\"\(parts[0])\" cy=\"\(parts[1])\" r=\"2.5\" fill=\"\(color)\"/>")
                }
                run = []
            }
            for (index, point) in line.points.enumerated() {
                if let point, point.isFinite {
                    run.append(String(format: "%.1f,%.1f", x(index), y(point)))
                } else {
                    flush()
                }
            }
            flush()
        }
        let latest = series.map { "\($0.variant) \($0.points.last(where: { $0 != nil }).flatMap { $0 }.map(Formatting.number) ?? "no data")" }
        let label = Self.escape("\(title), last hour per minute: " + latest.joined(separator: ", "))
        return """
            <svg viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" role="img" aria-label="\(label)" xmlns="http://www.w3.org/2000/svg">\
            <title>\(label)</title>\
            <line x1="\(Self.padding)" y1="\(y(low))" x2="\(Self.width - Self.padding)" y2="\(y(low))" stroke="#8c959f" stroke-width="1"/>\
            <text x="\(Self.padding)" y="14" font-size="11" fill="#57606a">\(Self.escape(Formatting.number(high)))</text>\
            \(shapes.joined())</svg>
            """
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// What the report's metric names mean, in the order the charts show them.
    static let metricTitles: [(metric: String, title: String)] = [
        ("errorRate", "Error rate"), ("meanOutputChars", "Mean output length (characters)"),
        ("p95OutputChars", "p95 output length (characters)"), ("latencyMs", "Latency (ms)"),
        ("negativeFeedbackPerUnit", "Negative feedback per unit"), ("emptyRate", "Empty outputs"), ("truncationRate", "Truncated outputs"),
        ("refusalRate", "Refusals"), ("tokensOut", "Output tokens"), ("editRate", "Edit rate"), ("actionRate", "Action rate"),
    ]
}
