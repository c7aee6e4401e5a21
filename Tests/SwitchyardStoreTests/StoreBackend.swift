import Foundation
import GRDB
import Logging
import PostgresNIO
import SwitchyardCore
import SwitchyardGuard
@testable import SwitchyardPostgres
import SwitchyardStore
import SwitchyardTestSupport
import Testing

/// The stores every shared store test runs against: SQLite always, PostgreSQL when
/// `SWITCHYARD_TEST_POSTGRES` is set (``PostgresStoreTests`` says so, skipped, when it is not).
enum StoreBackend: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static var configured: [StoreBackend] { TestPostgres.isConfigured ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }

    static let quietLogger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return logger
    }()

    /// Runs `body` with a new, empty store of this kind, reading the time from `clock` (the system's by default).
    func withStore(clock: WallClock = .system, _ body: (TestStore) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let queue = try DatabaseQueue()
            try await body(TestStore(sqlite: try GRDBFlagStore(queue, logger: Self.quietLogger, clock: clock), queue: queue))
        case .postgres:
            try await TestPostgres.withDatabase { url in
                try await PostgresFlagStore.withStore(url: url, logger: Self.quietLogger, clock: clock) { store in
                    try await body(TestStore(postgres: store))
                }
            }
        }
    }
}

/// A store under test, with the few direct reads and writes of its tables that tests need.
struct TestStore: Sendable {
    let store: any FlagStore & GuardrailStore
    /// Every stored key hash.
    let keyHashes: @Sendable () async throws -> [String]
    /// Every audit entry's before and after, as stored.
    let auditText: @Sendable () async throws -> String
    /// Dates the change-feed rows up to a version back to a date.
    let backdateChanges: @Sendable (_ through: Int64, _ to: Date) async throws -> Void
    /// Adds an audit entry about a flag without a change-feed version (as a kill rule's is).
    let auditWithoutVersion: @Sendable (_ flag: String, _ environment: String) async throws -> Void

    init(sqlite store: GRDBFlagStore<DatabaseQueue>, queue: DatabaseQueue) {
        self.store = store
        keyHashes = { try await queue.read { db in try String.fetchAll(db, sql: "SELECT hash FROM api_key") } }
        auditText = {
            try await queue.read { db in
                try String.fetchAll(db, sql: "SELECT coalesce(before, '') || coalesce(after, '') FROM audit").joined()
            }
        }
        backdateChanges = { version, date in
            try await queue.write { db in
                try db.execute(sql: "UPDATE change SET at = ? WHERE version <= ?", arguments: [date, version])
            }
        }
        auditWithoutVersion = { flag, environment in
            try await queue.write { db in
                try db.execute(
                    sql: "INSERT INTO audit (environment, flag_key, action, author_id, author_name, at) VALUES (?, ?, 'rule.set', 'k', 'n', ?)",
                    arguments: [environment, flag, Date()])
            }
        }
    }

    init(postgres store: PostgresFlagStore) {
        self.store = store
        let client = store.client
        keyHashes = {
            var hashes: [String] = []
            for try await hash in try await client.query("SELECT hash FROM api_key").decode(String.self) { hashes.append(hash) }
            return hashes
        }
        auditText = {
            var text = ""
            for try await part in try await client.query("SELECT coalesce(before, '') || coalesce(after, '') FROM audit").decode(String.self) {
                text += part
            }
            return text
        }
        backdateChanges = { version, date in
            try await client.query("UPDATE change SET at = \(date) WHERE version <= \(version)")
        }
        auditWithoutVersion = { flag, environment in
            try await client.query(
                """
                INSERT INTO audit (environment, flag_key, action, author_id, author_name, at)
                VALUES (\(environment), \(flag), 'rule.set', 'k', 'n', \(Date()))
                """)
        }
    }
}
