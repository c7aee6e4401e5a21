import ArgumentParser

/// The connection plus the environment, shared by every subcommand that works in one environment.
struct ServerOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions

    @Option(name: .customLong("env"), help: "The environment.")
    var environment = "production"

    /// Whether to print the server's JSON instead of a table.
    var json: Bool { connection.json }

    /// The client these options describe.
    func client() throws -> AdminClient {
        try connection.client(environment: environment)
    }
}
