import Foundation
import SwitchyardTestSupport
import Testing

/// The exit codes scripts rely on: 64 bad arguments (a missing key), 1 refused by the server (a wrong
/// key), 3 server unreachable.
@Suite struct ConnectionTests {
    @Test func aMissingKeyIsABadArgument() async throws {
        try await CommandServer.run { _, switchyard in
            let result = try await CommandProcess.run(["segments", "list"], environment: ["SWITCHYARD_URL": switchyard.url])
            #expect(result.status == 64)
            #expect(result.output.isEmpty)
            #expect(result.errors.contains("no API key: pass --key or set SWITCHYARD_KEY"))
        }
    }

    @Test func aWrongKeyIsRefused() async throws {
        try await CommandServer.run { _, switchyard in
            for arguments in [["segments", "list"], ["environments", "create", "staging"], ["flags", "list"]] {
                let result = try await switchyard(arguments + ["--key", "sy_admin_wrong"])
                #expect(result.status == 1, "\(arguments)")
                #expect(result.errors == "error: the API key is not valid\n", "\(arguments)")
            }
            #expect(try await switchyard("environments", "list").output.contains("staging") == false)
        }
    }

    @Test func anSDKKeyCannotManage() async throws {
        try await CommandServer.run { _, switchyard in
            let sdk = try await switchyard("keys", "create", "--kind", "sdk").output.trimmingCharacters(in: .newlines)
            let result = try await switchyard(["segments", "create", "pros", "--key", sdk], input: #"{"==": [1, 1]}"#)
            #expect(result.status == 1)
            #expect(result.errors.hasPrefix("error: this endpoint needs an admin key; key_"))
            #expect(result.errors.hasSuffix(" is an sdk key\n"))
            #expect(try await switchyard("segments", "list").output == "NAME  VERSION  RULE\n")
        }
    }

    @Test func anUnreachableServerExitsWith3() async throws {
        let result = try await CommandProcess.run(["environments", "list", "--server", "http://127.0.0.1:1", "--key", "sy_admin_x"])
        #expect(result.status == 3)
        #expect(result.errors.hasPrefix("error: cannot reach the server at http://127.0.0.1:1 ("))
        #expect(result.errors.contains("Is `switchyard serve` running there?"))
        #expect(result.errors.components(separatedBy: "error:").count == 2, "the error is printed once")
    }

    @Test func aServerURLWithoutASchemeIsAUsageError() async throws {
        let result = try await CommandProcess.run(["flags", "list", "--server", "127.0.0.1:8700", "--key", "sy_admin_x"])
        #expect(result.status == 64)
        #expect(result.errors.contains("needs a scheme and a host, such as http://127.0.0.1:8700"))
    }

    @Test func anUnknownCommandSuggestsTheClosestAndTheVersionIsKnown() async throws {
        let unknown = try await CommandProcess.run(["flag", "list"])
        #expect(unknown.status == 64)
        #expect(unknown.errors == "error: unknown command 'flag'; did you mean \"flags\"? (see 'switchyard --help')\n")
        let nested = try await CommandProcess.run(["rollout", "abrot", "x"])
        #expect(nested.errors.contains("did you mean \"abort\"?"))
        let version = try await CommandProcess.run(["--version"])
        #expect(version.status == 0 && version.output.trimmingCharacters(in: .newlines).split(separator: ".").count == 3)
    }

    @Test func anUnknownFlagSuggestsTheClosestKey() async throws {
        try await CommandServer.run { _, switchyard in
            _ = try await switchyard(
                ["flags", "create", "ai-summary"], input: #"{"state": "ENABLED", "variants": {"on": true}, "defaultVariant": "on"}"#)
            let result = try await switchyard("flags", "get", "ai-sumary")
            #expect(result.status == 1)
            #expect(result.errors == "error: flag ai-sumary not found; did you mean \"ai-summary\"?\n")
            let environment = try await switchyard("flags", "list", "--env", "prodution")
            #expect(environment.errors.contains("did you mean \"production\"?"))
        }
    }
}
