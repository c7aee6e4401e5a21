import GRDB
import HummingbirdTesting
import Logging
import SwitchyardCore
import SwitchyardGuard
import SwitchyardStore
import SwitchyardTestSupport
import Testing

@Suite struct KillRuleLimitTests {
    @Test func anAbsurdCoolDownOrWindowIsRefusedWith400() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            let cooldown = try await client.send(
                .put, "/api/v1/flags/ai/rules", key: test.admin, json: ["errorRate > 0.05 over 5m minSamples 20 cooldown 106751991167d"])
            #expect(cooldown.status == .badRequest)
            #expect(try cooldown.json["error"]?["message"]?.stringValue?.contains("at most 365d") == true)
            let window = try await client.send(.put, "/api/v1/flags/ai/rules", key: test.admin, json: ["errorRate > 0.05 over 106751991167d"])
            #expect(window.status == .badRequest)
            #expect(try window.json["error"]?["message"]?.stringValue?.contains("at most 30d") == true)
            let rules = try await client.send(.get, "/api/v1/flags/ai/rules", key: test.admin)
            #expect(try rules.json["rules"] == [])
        }
    }

    @Test func moreThanTwentyRulesOnAFlagAreRefused() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            let twenty = JSONValue.array(Array(repeating: "errorRate > 0.05 over 15m", count: 20))
            #expect(try await client.send(.put, "/api/v1/flags/ai/rules", key: test.admin, json: twenty).status == .ok)
            let more = JSONValue.array(Array(repeating: "errorRate > 0.05 over 15m", count: 21))
            let refused = try await client.send(.put, "/api/v1/flags/ai/rules", key: test.admin, json: more)
            #expect(refused.status == .badRequest)
            #expect(try refused.json["error"]?["message"]?.stringValue?.contains("at most 20 kill rules") == true)
        }
    }

    @Test func theLongestAllowedCoolDownTripsWithoutStoppingTheServer() async throws {
        // The store keeps the system's dates: SQLite cannot hold one 292 million years from now.
        let store = try GRDBFlagStore(DatabaseQueue(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let test = try await TestServer.guarded(store: store, clock: TestClock(Timestamp(millisecondsSinceEpoch: .max - 86_400_000)))
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            let put = try await client.send(
                .put, "/api/v1/flags/ai/rules", key: test.admin, json: ["errorRate > 0.05 over 30d minSamples 20 cooldown 365d"])
            #expect(put.status == .ok)
            var traffic = Traffic(at: test.clock.now)
            try await client.send(
                .post, "/api/v1/events", key: test.sdk, json: Traffic.batch("bad", (0..<25).flatMap { traffic.use("u-\($0)", "on", error: true) }))
            #expect(try await eventually { try await killedBy(client, test) == "guardrails" })
            test.clock.advance(by: .seconds(3600))
            #expect(try await client.send(.get, "/api/v1/flags/ai/rules", key: test.admin).status == .ok)
            #expect(try await killedBy(client, test) == "guardrails")
        }
    }

    private func killedBy(_ client: some TestClientProtocol, _ test: TestServer) async throws -> String? {
        try await client.send(.get, "/api/v1/flags/ai", key: test.admin).json["kill"]?["by"]?.stringValue
    }
}
