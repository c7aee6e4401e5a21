import Foundation
import SwitchyardCore
import SwitchyardTestSupport
import Testing

@Suite struct KeysCommandTests {
    @Test func aKeyIsShownOnceListedWithoutItsSecretAndRevoked() async throws {
        try await CommandServer.run { server, switchyard in
            let created = try await switchyard("keys", "create", "--kind", "sdk", "--name", "web")
            #expect(created.status == 0)
            let secret = created.output.trimmingCharacters(in: .newlines)
            #expect(secret.hasPrefix("sy_sdk_"))
            #expect(created.errors.hasPrefix("created sdk key key_"))

            let list = try await switchyard("keys", "list", "--json")
            #expect(!list.output.contains(secret))
            let keys = try JSONValue(parsing: list.output)["keys"]?.arrayValue ?? []
            let web = try #require(keys.first { $0["name"] == "web" })
            #expect(web["kind"] == "sdk")
            #expect(web["environment"] == "production")

            let id = try #require(web["id"]?.stringValue)
            let revoked = try await switchyard("keys", "revoke", id)
            #expect(revoked.output == "revoked \(id)\n")
            let after = try JSONValue(parsing: try await switchyard("keys", "list", "--json").output)["keys"]?.arrayValue ?? []
            #expect(after.first { $0["id"]?.stringValue == id }?["revokedAt"] != nil)
            #expect(!server.logs.text.contains(secret))
            #expect(!server.logs.text.contains(server.admin))
        }
    }
}
