import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchyardCore
import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport
import Testing

@Suite struct EnvironmentTests {
    @Test func environmentsKeepTheirFlagsAndKeysApart() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            #expect(try await client.send(.post, "/api/v1/environments", key: test.admin, json: ["name": "staging"]).status == .created)
            #expect(try await client.send(.post, "/api/v1/environments", key: test.admin, json: ["name": "staging"]).status == .conflict)
            #expect(try await client.send(.post, "/api/v1/environments", key: test.admin, json: ["name": "Bad Name"]).status == .badRequest)

            try await client.send(.post, "/api/v1/flags?env=staging", key: test.admin, json: TestServer.creation("summary"))
            let stagingKey = try await client.send(
                .post, "/api/v1/keys", key: test.admin, json: ["kind": "sdk", "environment": "staging"])
            let secret = try #require(try stagingKey.json["key"]?.stringValue)

            let inStaging = try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: secret)
            #expect(inStaging.status == .ok)
            let inProduction = try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk)
            #expect(inProduction.status == .notFound)

            let unknown = try await client.send(.get, "/api/v1/flags?env=nowhere", key: test.admin)
            #expect(unknown.status == .notFound)
        }
    }

    @Test func sdkFlagsAnswer304UntilTheEnvironmentChanges() async throws {
        let test = try await TestServer()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            let first = try await client.send(.get, "/api/v1/sdk/flags", key: test.sdk)
            #expect(try first.json["document"]?["flags"]?["summary"] == TestServer.summary)
            let etag = try #require(first.headers[.eTag])
            #expect(try await client.send(.get, "/api/v1/sdk/flags", key: test.sdk, headers: [.ifNoneMatch: etag]).status == .notModified)
            try await client.send(.post, "/api/v1/flags/summary/disable", key: test.admin)
            let changed = try await client.send(.get, "/api/v1/sdk/flags", key: test.sdk, headers: [.ifNoneMatch: etag])
            #expect(changed.status == .ok)
            #expect(try changed.json["document"]?["flags"]?["summary"]?["state"] == "DISABLED")
        }
    }
}
