import GRDB
import HummingbirdTesting
import Prometheus
import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport
import Testing

/// A Switchyard server on a loopback port, over an in-memory database with one admin key, for the
/// `switchyard` binary to talk to.
struct CommandServer: Sendable {
    let store: GRDBFlagStore<DatabaseQueue>
    let server: SwitchyardServer
    let admin: String
    let logs = LogCapture()

    init() async throws {
        store = try GRDBFlagStore(DatabaseQueue(), logger: logs.logger)
        admin = try await store.createAPIKey(APIKeyRequest(kind: .admin, environment: nil, name: "admin"), by: .system).secret
        server = SwitchyardServer(
            store: store, configuration: ServerConfiguration(host: "127.0.0.1", port: 0), registry: PrometheusCollectorRegistry(),
            logger: logs.logger)
    }

    /// Runs `body` while the server listens, with a way to run commands against it.
    static func run(_ body: @Sendable (CommandServer, CommandRunner) async throws -> Void) async throws {
        let server = try await CommandServer()
        try await server.server.makeApplication().test(.live) { client in
            let url = "http://127.0.0.1:\(try #require(client.port))"
            try await body(server, CommandRunner(environment: ["SWITCHYARD_URL": url, "SWITCHYARD_KEY": server.admin]))
        }
    }

    /// Runs `switchyard` with `SWITCHYARD_URL` and `SWITCHYARD_KEY` set for the server.
    struct CommandRunner: Sendable {
        let environment: [String: String]

        /// The server's URL.
        var url: String { environment["SWITCHYARD_URL"] ?? "" }

        /// Runs `switchyard ARGUMENTS` to its end, with `input` on standard input.
        @discardableResult
        func callAsFunction(_ arguments: String..., input: String = "") async throws -> CommandResult {
            try await callAsFunction(arguments, input: input)
        }

        /// Runs `switchyard ARGUMENTS` to its end, with `input` on standard input.
        @discardableResult
        func callAsFunction(_ arguments: [String], input: String = "") async throws -> CommandResult {
            try await CommandProcess.run(arguments, input: input, environment: environment)
        }
    }
}
