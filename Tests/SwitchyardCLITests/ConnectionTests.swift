import Foundation
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
        #expect(result.errors.hasPrefix("error: cannot reach http://127.0.0.1:1: "))
    }
}
