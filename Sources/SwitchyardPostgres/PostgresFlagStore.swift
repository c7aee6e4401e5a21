import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import SwitchyardGuard
import SwitchyardStore

/// The PostgreSQL ``FlagStore`` and ``GuardrailStore``: one database shared by several
/// `switchyard serve` replicas.
///
/// Its semantics are the SQLite store's: ``EnvironmentState`` computes every change, and the store
/// persists it with its audit entry and change-feed row in one transaction, committed durably before
/// it returns. Writes to one environment are serialised by a row lock on the environment, so its
/// change-feed versions commit in increasing order whichever replica writes.
///
/// The store owns a connection pool, which runs inside ``withStore(url:logger:clock:_:)``: open a store
/// there, never on its own.
package final class PostgresFlagStore: FlagStore, ChangeNotifications, Sendable {
    let client: PostgresClient
    let listener: ChangeListener
    let url: PostgresURL
    let logger: Logger
    /// Where the store reads the time it records: creation, audit, change and batch times.
    let clock: WallClock
    /// This process's name among the replicas: the aggregate rows it writes carry it, so that each
    /// replica replaces only its own and the kill rules and rollouts read their sum.
    package let replica: String

    private init(url: PostgresURL, logger: Logger, clock: WallClock) {
        self.url = url
        self.logger = logger
        self.clock = clock
        self.replica = UUID().uuidString.lowercased()
        self.client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
        self.listener = ChangeListener(url: url, replica: replica, logger: logger)
    }

    package func notices() -> AsyncStream<ChangeNotice> { listener.notices() }

    /// Whether the store's listening connection is up; while it is not, every read and write of the
    /// store fails at once with ``StoreError/Kind/unavailable`` instead of waiting for the database.
    package var isConnected: Bool { listener.isConnected }

    /// Runs a store's connection pool and change listener while `body` uses it: migrates the database
    /// first (once, whichever of several replicas starting together gets there first), creates the
    /// `production` environment if it is missing, and waits for the listener's connection. Both close
    /// when `body` returns or throws.
    ///
    /// A database that cannot be reached or migrated fails with a ``PostgresStoreError`` naming the
    /// URL without its password. `clock` is where the store reads the times it records.
    package static func withStore<Result: Sendable>(
        url: PostgresURL, logger: Logger, clock: WallClock = .system, _ body: (PostgresFlagStore) async throws -> Result
    ) async throws -> Result {
        // The pool waits for a connection rather than failing: a direct connection fails fast and
        // says why, and migrates.
        let store = PostgresFlagStore(url: url, logger: logger, clock: clock)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 0, logger: logger)
        } catch {
            throw PostgresStoreError(url: url, action: "connect to", underlying: error)
        }
        do {
            try await store.migrate(connection)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw PostgresStoreError(url: url, action: "migrate", underlying: error)
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.client.run() }
            group.addTask { await store.listener.run() }
            defer { group.cancelAll() }
            let deadline = ContinuousClock.now + .seconds(10)
            while !store.isConnected {
                guard ContinuousClock.now < deadline else {
                    throw PostgresStoreError(url: url, action: "listen for changes in", reason: "no connection within 10 seconds")
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            return try await body(store)
        }
    }

    /// Runs `body` in a transaction on one pooled connection: committed when it returns, rolled back
    /// when it throws, and its error (a ``StoreError`` most often) rethrown as it is.
    func transaction<Result: Sendable>(
        readOnly: Bool = false, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        guard isConnected else { throw unavailable }
        return try await mappingConnectionErrors {
            try await client.withConnection { connection in try await transaction(on: connection, readOnly: readOnly, body) }
        }
    }

    /// ``transaction(readOnly:_:)`` on a given connection.
    nonisolated(nonsending) func transaction<Result: Sendable>(
        on connection: PostgresConnection, readOnly: Bool = false, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await connection.query(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", logger: logger)
        let result: Result
        do {
            result = try await body(connection)
        } catch {
            do {
                try await connection.query("ROLLBACK", logger: logger)
            } catch {
                // A connection that cannot roll back must not go back to the pool mid-transaction.
                try? await connection.close()
            }
            throw error
        }
        try await connection.query("COMMIT", logger: logger)
        return result
    }

    /// Runs one query outside a transaction (a read) on a pooled connection.
    func read(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        guard isConnected else { throw unavailable }
        return try await mappingConnectionErrors { try await client.query(query, logger: logger) }
    }

    private var unavailable: StoreError {
        StoreError.unavailable("the PostgreSQL database \(url) cannot be reached; the server reconnects by itself")
    }

    /// A lost connection is ``StoreError/Kind/unavailable``; other errors are rethrown as they are.
    private func mappingConnectionErrors<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as PSQLError where Self.connectionLost.contains(error.code) {
            logger.warning("a PostgreSQL operation lost its connection", metadata: ["error": "\(PostgresStoreError.describe(error))"])
            throw unavailable
        }
    }

    private static let connectionLost: Set<PSQLError.Code> = [
        .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
    ]
}

/// The PostgreSQL database could not be reached, migrated or used; the URL is shown without its password.
package struct PostgresStoreError: Error, Sendable, CustomStringConvertible {
    /// The database, password hidden.
    package var url: PostgresURL
    /// What was being done, such as `migrate`.
    package var action: String
    /// Why it failed, as PostgresNIO describes it.
    package var reason: String

    init(url: PostgresURL, action: String, reason: String) {
        self.url = url
        self.action = action
        if let password = url.password, !password.isEmpty {
            self.reason = reason.replacingOccurrences(of: password, with: "***")
        } else {
            self.reason = reason
        }
    }

    init(url: PostgresURL, action: String, underlying: any Error) {
        self.init(url: url, action: action, reason: Self.describe(underlying))
    }

    package var description: String { "cannot \(action) the PostgreSQL database \(url): \(reason)" }

    /// The server's message when it sent one, else what went wrong with the connection (PSQLError's
    /// own description is deliberately vague); the caller takes the password out in case a driver
    /// ever repeats it.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}
