import SwitchyardCore
import Synchronization

/// Alerts waiting for the ``WebhookService``: enqueuing never waits, so a slow or failing webhook
/// never delays a kill. When the queue is full the oldest alerts are dropped.
///
/// Each application run reads its own stream: the one a run reads ends with that run, and alerts
/// queued after it wait in a fresh stream for the next run.
final class AlertQueue: Sendable {
    private struct Pending {
        var stream: AsyncStream<JSONValue>
        var continuation: AsyncStream<JSONValue>.Continuation
        var read = false
    }

    private let capacity: Int
    private let pending: Mutex<Pending>

    init(capacity: Int = 1_000) {
        self.capacity = capacity
        let (stream, continuation) = AsyncStream.makeStream(of: JSONValue.self, bufferingPolicy: .bufferingNewest(capacity))
        pending = Mutex(Pending(stream: stream, continuation: continuation))
        watch(continuation)
    }

    /// The alerts for one run of the ``WebhookService``, those queued before it started included.
    /// - Precondition: no other run is reading them: a server runs its applications one after the other.
    var alerts: AsyncStream<JSONValue> {
        pending.withLock { pending in
            precondition(!pending.read, "the alert queue is already read by a running application; run a server's applications one after the other")
            pending.read = true
            return pending.stream
        }
    }

    /// Queues an alert for every webhook.
    func send(_ alert: JSONValue) {
        pending.withLock { _ = $0.continuation.yield(alert) }
    }

    /// Replaces a stream with a fresh one once its run ends.
    private func watch(_ continuation: AsyncStream<JSONValue>.Continuation) {
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            let (stream, continuation) = AsyncStream.makeStream(of: JSONValue.self, bufferingPolicy: .bufferingNewest(capacity))
            pending.withLock { $0 = Pending(stream: stream, continuation: continuation) }
            watch(continuation)
        }
    }
}
