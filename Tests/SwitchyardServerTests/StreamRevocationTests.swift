import HummingbirdTesting
import SwitchyardCore
import SwitchyardTestSupport
import Testing

@Suite struct StreamRevocationTests {
    @Test func revokingAKeyEndsItsOpenStreamsAndNoOtherKeys() async throws {
        let test = try await TestServer()
        try await test.application().testLive { client in
            let port = try #require(client.port)
            let created = try await client.send(
                .post, "/api/v1/keys", key: test.admin, json: ["kind": "sdk", "environment": "production", "name": "doomed"])
            let id = try #require(try created.json["id"]?.stringValue)
            let secret = try #require(try created.json["key"]?.stringValue)

            let sdk = try await SSEClient(port: port, path: "/api/v1/sdk/stream", key: secret)
            #expect(try await sdk.next()?.event == "document")
            let ofrep = try await SSEClient(port: port, path: "/ofrep/v1/stream", key: secret)
            let survivor = try await SSEClient(port: port, path: "/api/v1/sdk/stream", key: test.sdk)
            #expect(try await survivor.next()?.event == "document")

            #expect(try await client.send(.delete, "/api/v1/keys/\(id)", key: test.admin).status == .ok)
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))

            #expect(try await sdk.next() == nil)
            #expect(try await ofrep.next() == nil)
            #expect(try await survivor.next()?.event == "change")
            #expect(try await SSEClient(port: port, path: "/api/v1/sdk/stream", key: secret).status == 401)
        }
    }
}
