import HummingbirdTesting
import SwitchyardTestSupport
import Testing

/// Runs a `TestServer` on a loopback port for the `switchyard` binary to talk to with its admin key.
enum CommandServer {
    /// Runs `body` while the server listens, with a way to run commands against it.
    ///
    /// The server's SDK key is named so that a test's own `web` key is the only one by that name.
    static func run(_ body: @escaping @Sendable (TestServer, CommandRunner) async throws -> Void) async throws {
        let server = try await TestServer(sdkKeyName: "command-tests")
        try await server.application().testLive { client in
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
