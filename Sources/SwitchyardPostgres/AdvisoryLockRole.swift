import Logging
import PostgresNIO
import SwitchyardStore

/// An ``ExclusiveRole`` held as a PostgreSQL session advisory lock on a connection of its own: the
/// server releases it when that connection ends, so when its holder dies (or loses the database)
/// another replica takes it at its next try.
struct AdvisoryLockRole: ExclusiveRole {
    let url: PostgresURL
    let lock: Int64
    let name: String
    /// How often a replica without the role tries to take it, and how often the holder checks its connection.
    let interval: Duration
    let logger: Logger

    func whileHeld(_ body: @escaping @Sendable () async throws -> Void) async {
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 2, logger: logger)
                do {
                    try await holdWhileConnected(connection, body)
                } catch {
                    if !Task.isCancelled {
                        logger.warning(
                            "lost the \(name) role", metadata: ["database": "\(url)", "reason": "\(PostgresStoreError.describe(error))"])
                    }
                }
                try? await connection.close()
            } catch {
                logger.debug("cannot try to take the \(name) role", metadata: ["reason": "\(PostgresStoreError.describe(error))"])
            }
            guard (try? await Task.sleep(for: interval)) != nil else { return }
        }
    }

    /// Tries to take the lock until it is held, then runs `body` beside a check of the connection
    /// until either ends.
    private func holdWhileConnected(_ connection: PostgresConnection, _ body: @escaping @Sendable () async throws -> Void) async throws {
        while try await !tryLock(connection) {
            try await Task.sleep(for: interval)
        }
        logger.notice("this replica now has the \(name) role")
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await body() }
            group.addTask {
                while true {
                    try await Task.sleep(for: interval)
                    try await connection.query("SELECT 1", logger: logger)
                }
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func tryLock(_ connection: PostgresConnection) async throws -> Bool {
        for try await held in try await connection.query("SELECT pg_try_advisory_lock(\(lock))", logger: logger).decode(Bool.self) {
            return held
        }
        return false
    }
}

extension PostgresFlagStore {
    /// The role of running the kill-rule and rollout services: one replica at a time.
    package func controllerRole(interval: Duration = .seconds(1)) -> any ExclusiveRole {
        AdvisoryLockRole(url: url, lock: Self.controllerLock, name: "kill-rule and rollout", interval: interval, logger: logger)
    }

    /// The advisory lock behind ``controllerRole(interval:)``.
    static let controllerLock: Int64 = 0x5377_6974_6368_0003
}
