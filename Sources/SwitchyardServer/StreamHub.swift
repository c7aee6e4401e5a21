import Foundation
import Synchronization

/// Fans each change out to every connected stream of its environment.
///
/// A subscriber that falls 256 events behind is disconnected, so it reconnects with `Last-Event-ID`
/// instead of silently missing changes. Revoking a key ends every stream opened with it.
final class StreamHub: Sendable {
    struct Subscriber: Sendable {
        let environment: String
        let client: String
        /// The id of the API key the stream was opened with.
        let keyID: String
        /// A dashboard page: it gets every message but is no client of the flags, so it is left out
        /// of propagation and the stream-client metric.
        let isObserver: Bool
        let continuation: AsyncStream<StreamMessage>.Continuation
    }

    private struct State {
        var nextID: UInt64 = 0
        var subscribers: [UInt64: Subscriber] = [:]
        /// Keys revoked while this process runs: a stream authenticated just before its key's
        /// revocation but subscribing after it ends at once.
        var revokedKeyIDs: Set<String> = []
    }

    private let state = Mutex(State())
    private let metrics: ServerMetrics

    init(metrics: ServerMetrics) {
        self.metrics = metrics
    }

    /// A registered stream; ``cancel()`` removes it.
    struct Subscription: Sendable {
        let messages: AsyncStream<StreamMessage>
        private let continuation: AsyncStream<StreamMessage>.Continuation

        init(messages: AsyncStream<StreamMessage>, continuation: AsyncStream<StreamMessage>.Continuation) {
            self.messages = messages
            self.continuation = continuation
        }

        func cancel() {
            continuation.finish()
        }
    }

    /// Registers a stream opened with the key `keyID`; it is removed when cancelled, when its
    /// sequence ends or when the key is revoked. An observer (a dashboard page) is not counted as
    /// a client.
    func subscribe(environment: String, client: String, keyID: String, observer: Bool = false) -> Subscription {
        let (stream, continuation) = AsyncStream<StreamMessage>.makeStream(bufferingPolicy: .bufferingOldest(256))
        let id = state.withLock { state -> UInt64? in
            guard !state.revokedKeyIDs.contains(keyID) else { return nil }
            state.nextID += 1
            state.subscribers[state.nextID] = Subscriber(
                environment: environment, client: client, keyID: keyID, isObserver: observer, continuation: continuation)
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return Subscription(messages: stream, continuation: continuation)
        }
        if !observer { metrics.streamClients.increment() }
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            self.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
            if !observer { self.metrics.streamClients.decrement() }
        }
        return Subscription(messages: stream, continuation: continuation)
    }

    /// Sends a message to every stream of an environment.
    func publish(_ message: StreamMessage, to environment: String) {
        let targets = state.withLock { $0.subscribers.values.filter { $0.environment == environment } }
        deliver(message, to: targets)
    }

    /// Sends a heartbeat to every stream.
    func heartbeat() {
        deliver(.heartbeat, to: state.withLock { Array($0.subscribers.values) })
    }

    /// Ends every stream opened with a key, and any it would open later.
    func revoke(keyID: String) {
        let ended = state.withLock { state in
            state.revokedKeyIDs.insert(keyID)
            return state.subscribers.values.filter { $0.keyID == keyID }
        }
        for subscriber in ended { subscriber.continuation.finish() }
    }

    /// The client ids of the streams connected to an environment.
    func connectedClients(of environment: String) -> [String] {
        state.withLock { $0.subscribers.values.filter { $0.environment == environment && !$0.isObserver }.map(\.client) }
    }

    private func deliver(_ message: StreamMessage, to subscribers: [Subscriber]) {
        for subscriber in subscribers {
            if case .dropped = subscriber.continuation.yield(message) {
                subscriber.continuation.finish()
            }
        }
    }
}
