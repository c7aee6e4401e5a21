import Foundation
import Logging
import PostgresNIO
import SwitchyardPostgres

/// The PostgreSQL server the tests may use: `SWITCHYARD_TEST_POSTGRES`, a URL such as
/// `postgres://postgres@127.0.0.1:55432/postgres` whose role may create databases. `.ci/run` starts
/// one and sets it; when it is unset the PostgreSQL cases are skipped, and say so.
package enum TestPostgres {
    /// The skip message of every PostgreSQL-only test.
    package static let skipMessage = "SWITCHYARD_TEST_POSTGRES is not set: the PostgreSQL store tests are skipped (.ci/run sets it)"

    /// The configured server, or `nil`.
    package static let url: PostgresURL? = {
        guard let text = ProcessInfo.processInfo.environment["SWITCHYARD_TEST_POSTGRES"], !text.isEmpty else { return nil }
        do {
            return try PostgresURL(text)
        } catch {
            fatalError("SWITCHYARD_TEST_POSTGRES: \(error)")
        }
    }()

    /// Whether a server is configured.
    package static var isConfigured: Bool { url != nil }

    /// Creates a database of its own for `body` and drops it afterwards, so tests never see each other's rows.
    package static func withDatabase<Result: Sendable>(_ body: (PostgresURL) async throws -> Result) async throws -> Result {
        guard let url else { throw TestPostgresNotConfigured() }
        let name = "switchyard_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await administer(url) { connection, logger in
            // A database name cannot be a bound parameter; this one is made of [a-z0-9_] only.
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        do {
            let result = try await body(url.database(name))
            try await drop(name, on: url)
            return result
        } catch {
            try? await drop(name, on: url)
            throw error
        }
    }

    /// Cuts a test database off as an outage would: no new connections, and every open one is
    /// closed by the server; `false` lets connections in again.
    package static func setOutage(_ down: Bool, of database: PostgresURL) async throws {
        guard let url else { throw TestPostgresNotConfigured() }
        let name = database.database
        try await administer(url) { connection, logger in
            try await connection.query(
                PostgresQuery(unsafeSQL: "ALTER DATABASE \(name) ALLOW_CONNECTIONS \(down ? "false" : "true")"), logger: logger)
            if down {
                try await connection.query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = \(name) AND pid <> pg_backend_pid()", logger: logger)
            }
        }
    }

    private static func drop(_ name: String, on url: PostgresURL) async throws {
        try await administer(url) { connection, logger in
            try await connection.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }

    private static func administer(_ url: PostgresURL, _ body: (PostgresConnection, Logger) async throws -> Void) async throws {
        var logger = Logger(label: "test-postgres")
        logger.logLevel = .error
        let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 1, logger: logger)
        do {
            try await body(connection, logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// A PostgreSQL test ran without `SWITCHYARD_TEST_POSTGRES`.
package struct TestPostgresNotConfigured: Error, CustomStringConvertible {
    package var description: String { TestPostgres.skipMessage }
}
