import Prometheus
import SwitchyardCore
import Synchronization

/// The server's Prometheus metrics.
final class ServerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let streamClients: Gauge
    let kills: Counter
    /// Events refused because their environment's aggregates hold the most arms allowed.
    let eventsOverAggregateLimit: Counter

    private struct EvaluationLabels: Hashable {
        let flag: String
        let variant: String
        let reason: String
    }

    private struct RequestLabels: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    /// A request's two collectors, found with one lookup.
    private struct RequestCollectors: Sendable {
        let requests: Counter
        let durations: DurationHistogram
    }

    /// Collectors already looked up, so the hot path skips the registry's name and label handling.
    private let evaluationCounters = Mutex<[EvaluationLabels: Counter]>([:])
    private let requestCollectors = Mutex<[RequestLabels: RequestCollectors]>([:])
    private let rateLimitCounters = Mutex<[String: Counter]>([:])

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

    private static var rateLimited: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "switchyard", subsystem: "ofrep", metricName: "rate_limited", unitName: "total",
            helpText: "OFREP evaluation requests refused with 429, by SDK key id.")
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
        eventsOverAggregateLimit = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "switchyard", subsystem: "events", metricName: "over_aggregate_limit", unitName: "total",
                helpText: "Events refused because their environment's aggregates hold the most flag × variant × segment arms allowed."))
    }

    /// Counts one evaluation. Unknown flag keys share one label, so callers cannot grow the label set.
    func evaluated(flag: String, _ resolution: Resolution) {
        let labels = EvaluationLabels(
            flag: resolution.errorCode == .flagNotFound ? "(unknown)" : flag, variant: resolution.variant ?? "",
            reason: resolution.errorCode?.rawValue ?? resolution.reason.rawValue)
        Self.collector(labels, in: evaluationCounters) {
            registry.makeCounter(
                descriptor: Self.evaluations,
                labels: [("flag", labels.flag), ("variant", labels.variant), ("reason", labels.reason)])
        }.increment()
    }

    /// Counts one request and records its duration.
    func request(method: String, route: String, status: Int, duration: Duration) {
        let collectors = Self.collector(RequestLabels(method: method, route: route, status: status), in: requestCollectors) {
            // The registry hands every status of a route the same histogram.
            RequestCollectors(
                requests: registry.makeCounter(
                    descriptor: Self.requests, labels: [("method", method), ("route", route), ("status", String(status))]),
                durations: registry.makeDurationHistogram(descriptor: Self.durations, labels: [("route", route)], buckets: Self.buckets))
        }
        collectors.requests.increment()
        collectors.durations.recordNanoseconds(duration.nanoseconds)
    }

    /// Counts one OFREP request refused by the rate limit; key ids are few (an admin creates them).
    func rateLimited(key: String) {
        Self.collector(key, in: rateLimitCounters) {
            registry.makeCounter(descriptor: Self.rateLimited, labels: [("key", key)])
        }.increment()
    }

    private static func collector<Key: Hashable & Sendable, Collector: Sendable>(
        _ key: Key, in cache: borrowing Mutex<[Key: Collector]>, make: () -> Collector
    ) -> Collector {
        if let existing = cache.withLock({ $0[key] }) { return existing }
        let made = make()
        cache.withLock { $0[key] = made }
        return made
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
