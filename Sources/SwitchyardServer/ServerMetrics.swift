import Prometheus
import SwitchyardCore

/// The server's Prometheus metrics.
final class ServerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let streamClients: Gauge
    let kills: Counter

    private static var evaluations: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "switchyard", metricName: "evaluations", unitName: "total",
            helpText: "Flag evaluations by flag, variant and reason.")
    }

    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "switchyard", subsystem: "http", metricName: "requests", unitName: "total",
            helpText: "HTTP requests by method, route and status.")
    }

    private static var durations: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "switchyard", subsystem: "http", metricName: "request_duration", unitName: "seconds",
            helpText: "HTTP request durations by route.")
    }

    private static let buckets: [Duration] = [
        .microseconds(250), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .seconds(1),
    ]

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        streamClients = registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "switchyard", metricName: "stream_clients", unitName: "", helpText: "Connected SSE streams."))
        kills = registry.makeCounter(
            descriptor: MetricNameDescriptor(namespace: "switchyard", metricName: "kills", unitName: "total", helpText: "Flags killed."))
    }

    /// Counts one evaluation. Unknown flag keys share one label, so callers cannot grow the label set.
    func evaluated(flag: String, _ resolution: Resolution) {
        let known = resolution.errorCode != .flagNotFound
        registry.makeCounter(
            descriptor: Self.evaluations,
            labels: [
                ("flag", known ? flag : "(unknown)"), ("variant", resolution.variant ?? ""),
                ("reason", resolution.errorCode?.rawValue ?? resolution.reason.rawValue),
            ]
        ).increment()
    }

    /// Counts one request and records its duration.
    func request(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests, labels: [("method", method), ("route", route), ("status", String(status))])
            .increment()
        registry.makeDurationHistogram(descriptor: Self.durations, labels: [("route", route)], buckets: Self.buckets)
            .recordNanoseconds(duration.nanoseconds)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
