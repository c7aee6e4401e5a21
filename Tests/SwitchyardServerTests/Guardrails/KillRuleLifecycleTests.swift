import Foundation
import HummingbirdTesting
import SwitchyardCore
import SwitchyardTestSupport
import Testing

@Suite struct KillRuleLifecycleTests {
    @Test func aCoolDownReArmsTheRuleAndLiftsTheGuardrailsKill() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            try await client.send(.put, "/api/v1/flags/ai/rules", key: test.admin, json: ["errorRate > 0.05 over 5m minSamples 20 cooldown 10m"])
            var traffic = Traffic(at: test.clock.now)
            try await client.send(
                .post, "/api/v1/events", key: test.sdk, json: Traffic.batch("bad", (0..<25).flatMap { traffic.use("u-\($0)", "on", error: true) }))
            #expect(try await eventually { try await killedBy(client, test) == "guardrails" })

            #expect(try await tripOfFirstRule(client, test) != nil)

            test.clock.advance(by: .seconds(11 * 60))
            #expect(try await eventually { try await killedBy(client, test) == nil })
            #expect(try await tripOfFirstRule(client, test) == nil)
            let entries = try await client.send(.get, "/api/v1/audit?flag=ai", key: test.admin).json["entries"]?.arrayValue ?? []
            let unkill = try #require(entries.first { $0["action"] == "flag.unkill" })
            #expect(unkill["author"]?["id"] == "guardrails")
            #expect(unkill["reason"]?.stringValue?.contains("cooled down") == true)
        }
    }

    @Test func aResetReArmsTheRuleButKeepsTheKill() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            try await client.send(.put, "/api/v1/flags/ai/rules", key: test.admin, json: ["errorRate > 0.05 over 15m minSamples 20"])
            var traffic = Traffic(at: test.clock.now)
            try await client.send(
                .post, "/api/v1/events", key: test.sdk, json: Traffic.batch("bad", (0..<25).flatMap { traffic.use("u-\($0)", "on", error: true) }))
            #expect(try await eventually { try await tripOfFirstRule(client, test) != nil })

            test.clock.advance(by: .seconds(120))
            let reset = try await client.send(.post, "/api/v1/flags/ai/rules/reset", key: test.admin)
            #expect(try reset.json["rules"]?.arrayValue?.first?["trip"] == nil)
            #expect(try await killedBy(client, test) == "guardrails")
        }
    }

    @Test func aTripSurvivesARestart() async throws {
        let path = temporaryDatabase()
        defer { removeDatabase(path) }
        let clock = TestClock(TestClock.fixedStart)
        let first = try await TestServer.guarded(path: path, clock: clock)
        try await first.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: first.admin, json: TestServer.ai)
            try await client.send(.put, "/api/v1/flags/ai/rules", key: first.admin, json: ["errorRate > 0.05 over 15m minSamples 20"])
            var traffic = Traffic(at: clock.now)
            try await client.send(
                .post, "/api/v1/events", key: first.sdk, json: Traffic.batch("bad", (0..<25).flatMap { traffic.use("u-\($0)", "on", error: true) }))
            #expect(try await eventually { try await tripOfFirstRule(client, first) != nil })
        }

        let second = try await TestServer.guarded(path: path, clock: clock, keys: (first.admin, first.sdk))
        try await second.application().test(.router) { client in
            let trip = try #require(try await tripOfFirstRule(client, second))
            #expect(trip["measurement"]?["samples"] == 25)
            #expect(try await killedBy(client, second) == "guardrails")
        }
    }

    private func killedBy(_ client: some TestClientProtocol, _ test: TestServer) async throws -> String? {
        try await client.send(.get, "/api/v1/flags/ai", key: test.admin).json["kill"]?["by"]?.stringValue
    }

    private func tripOfFirstRule(_ client: some TestClientProtocol, _ test: TestServer) async throws -> JSONValue? {
        try await client.send(.get, "/api/v1/flags/ai/rules", key: test.admin).json["rules"]?.arrayValue?.first?["trip"]
    }
}
