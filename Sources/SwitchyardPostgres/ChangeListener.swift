import Foundation
import Logging
import PostgresNIO
import Synchronization
import SwitchyardStore

/// Holds one connection that LISTENs on ``channel``, fans each notification out to the
/// subscribers, and reconnects with back-off when the connection is lost; meanwhile
/// ``isConnected`` is false. Every (re)connection is announced as ``ChangeNotice/resynchronize``.
final class ChangeListener: Sendable {
    /// The channel every write notifies, with the payload `ENVIRONMENT VERSION` for a change,
    /// `ENVIRONMENT guardrails REPLICA` for kill rules and rollouts, `!revoked KEY-ID` for a revoked key.
    static let channel = "switchyard_changes"

    private struct State {
        var connected = false
        var nextID = 0
        var subscribers: [Int: AsyncStream<ChangeNotice>.Continuation] = [:]
    }

    private let state = Mutex(State())
    private let url: PostgresURL
    private let logger: Logger
    /// This replica: the notices of its own guardrail changes are not passed on.
    private let replica: String
    /// The first wait before reconnecting; it doubles up to ``maximumBackoff``.
    let initialBackoff: Duration
    let maximumBackoff: Duration

    init(url: PostgresURL, replica: String, logger: Logger, initialBackoff: Duration = .milliseconds(100), maximumBackoff: Duration = .seconds(5)) {
        self.url = url
        self.replica = replica
        self.logger = logger
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    var isConnected: Bool { state.withLock { $0.connected } }

    func notices() -> AsyncStream<ChangeNotice> {
        let (stream, continuation) = AsyncStream<ChangeNotice>.makeStream(bufferingPolicy: .unbounded)
        let id = state.withLock { state in
            state.nextID += 1
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Listens until cancelled, reconnecting after each loss; ends every subscription when it returns.
    func run() async {
        var backoff = initialBackoff
        while !Task.isCancelled {
            let reason: String
            do {
                let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 1, logger: logger)
                do {
                    try await listen(on: connection) { backoff = initialBackoff }
                    reason = "the connection closed"
                } catch {
                    reason = PostgresStoreError.describe(error)
                }
                try? await connection.close()
            } catch {
                reason = PostgresStoreError.describe(error)
            }
            setConnected(false)
            guard !Task.isCancelled else { break }
            logger.warning(
                "the PostgreSQL change listener is not connected; reconnecting",
                metadata: ["database": "\(url)", "reason": "\(reason)", "retry_in": "\(backoff)"])
            guard (try? await Task.sleep(for: backoff)) != nil else { break }
            backoff = min(backoff * 2, maximumBackoff)
        }
        setConnected(false)
        state.withLock { state in
            for continuation in state.subscribers.values { continuation.finish() }
            state.subscribers = [:]
        }
    }

    /// Announces a (re)connection, then every notification, until the connection fails.
    private func listen(on connection: PostgresConnection, connected: () -> Void) async throws {
        try await connection.listen(on: Self.channel) { notifications in
            setConnected(true)
            connected()
            broadcast(.resynchronize)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.watch(connection) }
                group.addTask {
                    for try await notification in notifications {
                        if let notice = Self.notice(notification.payload, replica: self.replica) { self.broadcast(notice) }
                    }
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        }
    }

    /// Runs a trivial query every second, so that a connection that died quietly is noticed.
    private func watch(_ connection: PostgresConnection) async throws {
        while true {
            try await Task.sleep(for: .seconds(1))
            try await connection.query("SELECT 1", logger: logger)
        }
    }

    private func setConnected(_ connected: Bool) {
        state.withLock { $0.connected = connected }
    }

    private func broadcast(_ notice: ChangeNotice) {
        for continuation in state.withLock({ Array($0.subscribers.values) }) {
            continuation.yield(notice)
        }
    }

    /// A payload as a notice (see ``channel``); anything else, and the guardrail notices of
    /// `replica` itself, are ignored.
    static func notice(_ payload: String, replica: String) -> ChangeNotice? {
        let parts = payload.split(separator: " ").map(String.init)
        switch parts.count {
        case 2 where parts[0] == "!revoked":
            return .keyRevoked(id: parts[1])
        case 2:
            return Int64(parts[1]).map { .committed(environment: parts[0], version: $0) }
        case 3 where parts[1] == "guardrails":
            return parts[2] == replica ? nil : .guardrailsChanged(environment: parts[0])
        default:
            return nil
        }
    }
}
