import Foundation
import SwitchyardPostgres
import SwitchyardTestSupport
import Testing

@testable import switchyard

/// `serve --db postgres://…` and `SWITCHYARD_DB`: the same service over PostgreSQL, its password in no output.
@Suite struct ServePostgresTests {
    static let password = "pa55-not-to-be-shown"

    /// The test database's URL as a user writes it, with a password (the test cluster trusts local
    /// roles, so it is sent and never checked).
    static func urlText(_ url: PostgresURL) -> String {
        "postgres://\(url.username):\(password)@\(url.host):\(url.port)/\(url.database)?sslmode=disable"
    }

    @Test(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipMessage)))
    func serveUsesThePostgresURLAndNeverShowsItsPassword() async throws {
        try await TestPostgres.withDatabase { url in
            let first = try CommandProcess(["serve", "--db", Self.urlText(url), "--port", "0", "--log-level", "debug"])
            let address = try await ServeCommandTests.listeningURL(first)
            let key = try #require(first.output.firstMatch(of: /sy_admin_[A-Za-z0-9]+/).map { String($0.output) })
            let created = try await CommandProcess.run(
                ["flags", "create", "summary"], input: #"{"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"}"#,
                environment: ["SWITCHYARD_URL": address, "SWITCHYARD_KEY": key])
            #expect(created.status == 0, "\(created.errors)")
            first.terminate()
            let stopped = await first.result()
            #expect(stopped.status == 0)
            #expect(stopped.errors.contains("serving from PostgreSQL"))
            #expect(stopped.errors.contains("postgres://\(url.username):***@"))
            #expect(!stopped.errors.contains(Self.password) && !stopped.output.contains(Self.password))

            // A second replica on the same database, chosen with SWITCHYARD_DB: the same key and flag, no new key printed.
            let second = try CommandProcess(["serve", "--port", "0"], environment: ["SWITCHYARD_DB": Self.urlText(url)])
            let secondAddress = try await ServeCommandTests.listeningURL(second)
            let list = try await CommandProcess.run(["flags", "list"], environment: ["SWITCHYARD_URL": secondAddress, "SWITCHYARD_KEY": key])
            second.terminate()
            let restarted = await second.result()
            #expect(list.output.contains("summary"))
            #expect(restarted.output.isEmpty, "no second admin key")
            #expect(!restarted.errors.contains(Self.password))
        }
    }

    @Test func anUnreachableDatabaseIsNamedWithoutItsPassword() async throws {
        let result = try await CommandProcess.run(
            ["serve", "--db", "postgres://switchyard:\(Self.password)@127.0.0.1:1/flags?sslmode=disable", "--port", "0"])
        #expect(result.status == 1)
        #expect(result.errors.contains("error: cannot connect to the PostgreSQL database postgres://switchyard:***@127.0.0.1:1/flags"))
        #expect(!result.errors.contains(Self.password))
        #expect(result.output.isEmpty, "no admin key printed")
    }

    @Test func aMalformedURLIsNamedWithoutItsPassword() async throws {
        let result = try await CommandProcess.run(
            ["serve", "--port", "0"], environment: ["SWITCHYARD_DB": "postgres://switchyard:\(Self.password)@127.0.0.1/"])
        #expect(result.status == 1)
        #expect(result.errors.contains("the database name is missing"))
        #expect(result.errors.contains("postgres://switchyard:***@127.0.0.1/"))
        #expect(!result.errors.contains(Self.password))
    }
}
