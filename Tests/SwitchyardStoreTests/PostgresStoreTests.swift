import Foundation
import Logging
import PostgresNIO
import SwitchyardCore
@testable import SwitchyardPostgres
import SwitchyardStore
import SwitchyardTestSupport
import Testing

/// What only the PostgreSQL store has: a URL, migrations shared by replicas, writes from several
/// replicas at once. The shared store suites run against it as well.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipMessage)))
struct PostgresStoreTests {
    let admin = Author(id: "key_test", name: "tester")

    @Test func twoReplicasStartingTogetherMigrateOnce() async throws {
        try await TestPostgres.withDatabase { url in
            try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await PostgresFlagStore.withStore(url: url, logger: StoreBackend.quietLogger) { store in
                            try await store.appliedMigrations()
                        }
                    }
                }
                let expected = PostgresFlagStore.migrations.map(\.identifier)
                for try await applied in group {
                    #expect(applied == expected)
                }
            }
            try await PostgresFlagStore.withStore(url: url, logger: StoreBackend.quietLogger) { store async throws in
                #expect(try await store.environments().map(\.name) == ["production"])
            }
        }
    }

    @Test func writesSurviveReopeningTheStore() async throws {
        try await TestPostgres.withDatabase { url in
            try await PostgresFlagStore.withStore(url: url, logger: StoreBackend.quietLogger) { store in
                _ = try await store.apply(.createFlag(key: "summary", definition: FlagStoreTests.summary), to: "production", by: admin, reason: nil)
                _ = try await store.createEnvironment(named: "staging", by: admin)
            }
            try await PostgresFlagStore.withStore(url: url, logger: StoreBackend.quietLogger) { reopened async throws in
                #expect(try await reopened.environments().map(\.name) == ["production", "staging"])
                #expect(try await reopened.state(of: "production").flags["summary"]?.definition == FlagStoreTests.summary)
                #expect(try await reopened.auditEntries(in: nil, flag: nil, limit: 10).count == 2)
            }
        }
    }

    /// Two replicas writing the same flag at once: every write is stored once, the flag's version
    /// counts them all, and the change feed holds them in version order with no gap in between.
    @Test func concurrentWritesFromTwoReplicasAreSerialised() async throws {
        try await TestPostgres.withDatabase { url in
            try await PostgresFlagStore.withStore(url: url, logger: StoreBackend.quietLogger) { first in
                try await PostgresFlagStore.withStore(url: url, logger: StoreBackend.quietLogger) { second in
                    _ = try await first.apply(
                        .createFlag(key: "summary", definition: FlagStoreTests.summary), to: "production", by: admin, reason: nil)
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for index in 0..<20 {
                            let store = index.isMultiple(of: 2) ? first : second
                            group.addTask {
                                _ = try await store.apply(
                                    .setEnabled(key: "summary", enabled: index.isMultiple(of: 3)), to: "production", by: admin, reason: nil)
                            }
                        }
                        try await group.waitForAll()
                    }
                    let state = try await second.state(of: "production")
                    #expect(state.flags["summary"]?.version == 21)
                    let changes = try await first.changes(in: "production", after: 0, limit: 100)
                    #expect(changes.count == 21)
                    #expect(changes.map(\.version) == changes.map(\.version).sorted())
                    #expect(try await first.auditEntries(in: "production", flag: "summary", limit: 100).count == 21)
                }
            }
        }
    }

    /// A stale `If-Match` from another replica is a conflict there too.
    @Test func aStaleVersionWrittenThroughAnotherReplicaIsAConflict() async throws {
        try await TestPostgres.withDatabase { url in
            try await PostgresFlagStore.withStore(url: url, logger: StoreBackend.quietLogger) { first in
                try await PostgresFlagStore.withStore(url: url, logger: StoreBackend.quietLogger) { second in
                    _ = try await first.apply(
                        .createFlag(key: "summary", definition: FlagStoreTests.summary), to: "production", by: admin, reason: nil)
                    _ = try await first.apply(
                        .updateFlag(key: "summary", definition: FlagStoreTests.summary, expectedVersion: 1), to: "production", by: admin, reason: nil)
                    let error = try await #require(throws: StoreError.self) {
                        try await second.apply(
                            .updateFlag(key: "summary", definition: FlagStoreTests.summary, expectedVersion: 1), to: "production", by: admin,
                            reason: nil)
                    }
                    #expect(error.kind == .versionConflict)
                    #expect(error.currentVersion == 2)
                }
            }
        }
    }

    @Test func jsonColumnsHoldTheSameTextAsTheSQLiteStore() async throws {
        try await TestPostgres.withDatabase { url in
            try await PostgresFlagStore.withStore(url: url, logger: StoreBackend.quietLogger) { store in
                _ = try await store.apply(.createFlag(key: "summary", definition: FlagStoreTests.summary), to: "production", by: admin, reason: nil)
                var definitions: [String] = []
                for try await text in try await store.client.query("SELECT definition FROM flag").decode(String.self) {
                    definitions.append(text)
                }
                #expect(definitions == [FlagStoreTests.summary.serialized()])
            }
        }
    }

    @Test func aWrongPasswordIsRefusedWithoutShowingIt() async throws {
        let configured = try #require(TestPostgres.url)
        // The test cluster trusts every local role, so a password is never checked; a missing database is.
        var url = configured.database("no_such_database")
        url.password = "s3cret-pa55"
        let error = try await #require(throws: PostgresStoreError.self) {
            try await PostgresFlagStore.withStore(url: url, logger: StoreBackend.quietLogger) { _ in }
        }
        #expect(error.description.contains("no_such_database"))
        #expect(error.description.contains("does not exist"))
        #expect(!error.description.contains("s3cret-pa55"))
    }
}

/// Reading `--db` and `SWITCHYARD_DB` URLs: no server needed.
@Suite struct PostgresURLTests {
    @Test func anUnreachableDatabaseIsNamedWithoutItsPassword() async throws {
        let url = try PostgresURL("postgres://switchyard:s3cret-pa55@127.0.0.1:1/switchyard?sslmode=disable")
        let error = try await #require(throws: PostgresStoreError.self) {
            try await PostgresFlagStore.withStore(url: url, logger: StoreBackend.quietLogger) { _ in }
        }
        #expect(error.description.contains("postgres://switchyard:***@127.0.0.1:1/switchyard"))
        #expect(!error.description.contains("s3cret-pa55"))
        #expect(!String(reflecting: error).contains("s3cret-pa55"))
    }

    @Test func aFullURLIsRead() throws {
        let url = try PostgresURL("postgresql://app:p%40ss@db.internal:6432/flags?sslmode=require")
        #expect(url.host == "db.internal")
        #expect(url.port == 6432)
        #expect(url.username == "app")
        #expect(url.password == "p@ss")
        #expect(url.database == "flags")
        #expect(url.tls == .require)
        #expect(url.description == "postgres://app:***@db.internal:6432/flags?sslmode=require")
    }

    @Test func defaultsAreLibpqs() throws {
        let url = try PostgresURL("postgres://app@127.0.0.1/switchyard")
        #expect(url.port == 5432)
        #expect(url.password == nil)
        #expect(url.tls == .prefer)
        #expect(url.description == "postgres://app@127.0.0.1:5432/switchyard")
    }

    @Test(arguments: [
        ("postgres://app:hunter2@127.0.0.1:5432", "the database name is missing"),
        ("postgres://:hunter2@127.0.0.1/db", "the user is missing"),
        ("postgres://app:hunter2@127.0.0.1/db?sslmode=sometimes", "sslmode must be disable, prefer or require"),
        ("postgres://app:hunter2@127.0.0.1/db?pool=5", "unknown parameter pool"),
        ("mysql://app:hunter2@127.0.0.1/db", "expected postgres://"),
    ])
    func aBadURLIsNamedWithoutItsPassword(text: String, problem: String) throws {
        let error = try #require(throws: PostgresURLError.self) { try PostgresURL(text) }
        #expect(error.description.contains(problem))
        #expect(!error.description.contains("hunter2"))
        #expect(error.description.contains("***"))
    }
}
