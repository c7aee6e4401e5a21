import ArgumentParser
import Foundation

/// Where the server is and how to authenticate, shared by every HTTP subcommand.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "The server URL (default: $SWITCHYARD_URL, else http://127.0.0.1:8700).")
    var server: String?

    @Option(help: "The API key (default: $SWITCHYARD_KEY).")
    var key: String?

    @ArgumentParser.Flag(help: "Print the server's JSON instead of a table.")
    var json = false

    /// The client these options describe, for one environment or (`nil`) for the whole server.
    func client(environment: String?) throws -> AdminClient {
        let variables = ProcessInfo.processInfo.environment
        let base = server ?? variables["SWITCHYARD_URL"] ?? "http://127.0.0.1:8700"
        guard let key = key ?? variables["SWITCHYARD_KEY"], !key.isEmpty else {
            throw ValidationError("no API key: pass --key or set SWITCHYARD_KEY")
        }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw ValidationError("the server URL \"\(base)\" needs a scheme and a host, such as http://127.0.0.1:8700")
        }
        return AdminClient(baseURL: base.hasSuffix("/") ? String(base.dropLast()) : base, key: key, environment: environment)
    }
}
