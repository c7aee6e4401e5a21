import Prometheus
import SwitchyardCore

/// The server's Prometheus metrics.
final class ServerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let streamClients: Gauge
    let kills: Counter

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        streamClients = registry.makeGauge(name: "switchyard_stream_clients", help: "Connected SSE streams.")
        kills = registry.makeCounter(name: "switchyard_kills_total", help: "Flags killed.")
    }

    /// Counts one evaluation. Unknown flag keys share one label, so callers cannot grow the label set.
    func evaluated(flag: String, _ resolution: Resolution) {
        let known = resolution.errorCode != .flagNotFound
        registry.makeCounter(
            name: "switchyard_evaluations_total",
            labels: [
                ("flag", known ? flag : "(unknown)"), ("variant", resolution.variant ?? ""),
                ("reason", resolution.errorCode?.rawValue ?? resolution.reason.rawValue),
            ],
            help: "Flag evaluations by flag, variant and reason."
        ).increment()
    }

    /// Counts one request and records its duration.
    func request(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            name: "switchyard_http_requests_total", labels: [("method", method), ("route", route), ("status", String(status))],
            help: "HTTP requests by method, route and status."
        ).increment()
        registry.makeDurationHistogram(
            name: "switchyard_http_request_duration_seconds", labels: [("route", route)],
            buckets: [.microseconds(250), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .seconds(1)],
            help: "HTTP request durations by route."
        ).recordNanoseconds(duration.nanoseconds)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
