import SwitchyardCore

/// Alerts waiting for the ``WebhookService``: enqueuing never waits, so a slow or failing webhook
/// never delays a kill. When the queue is full the oldest alerts are dropped.
struct AlertQueue: Sendable {
    let alerts: AsyncStream<JSONValue>
    private let continuation: AsyncStream<JSONValue>.Continuation

    init(capacity: Int = 1_000) {
        (alerts, continuation) = AsyncStream.makeStream(of: JSONValue.self, bufferingPolicy: .bufferingNewest(capacity))
    }

    /// Queues an alert for every webhook.
    func send(_ alert: JSONValue) {
        continuation.yield(alert)
    }
}
