import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchyardCore
import SwitchyardTestSupport
import Testing

@Suite struct KillRuleAPITests {
    @Test func rulesAreWrittenAsTextOrJSONAndReadBack() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            let text = try await client.execute(
                uri: "/api/v1/flags/ai/rules", method: .put, headers: [.authorization: "Bearer \(test.admin)", .contentType: "text/plain"],
                body: ByteBuffer(string: "# the brief's rules\nerrorRate > 0.05 over 15m minSamples 50\nmeanOutputChars > 5000 over 15m\n"))
            #expect(text.status == .ok)
            #expect(
                try text.json["rules"]?.arrayValue?.compactMap { $0["text"]?.stringValue } == [
                    "errorRate > 0.05 over 15m minSamples 50", "meanOutputChars > 5000 over 15m minSamples 50",
                ])

            let json = try await client.send(
                .put, "/api/v1/flags/ai/rules", key: test.admin,
                json: [
                    "p95LatencyMs > 8000 over 10m", ["metric": "errorRate", "comparison": ">", "threshold": 0.1, "window": "1h", "minSamples": 20],
                ])
            #expect(json.status == .ok)
            let read = try await client.send(.get, "/api/v1/flags/ai/rules", key: test.admin)
            #expect(
                try read.json["rules"]?.arrayValue?.compactMap { $0["text"]?.stringValue } == [
                    "p95LatencyMs > 8000 over 10m minSamples 50", "errorRate > 0.1 over 1h minSamples 20",
                ])

            let deleted = try await client.send(.delete, "/api/v1/flags/ai/rules", key: test.admin)
            #expect(try deleted.json["rules"] == [])
            let audit = try await client.send(.get, "/api/v1/audit?flag=ai", key: test.admin).json
            let actions = audit["entries"]?.arrayValue?.compactMap { $0["action"]?.stringValue } ?? []
            #expect(actions.prefix(3) == ["rules.delete", "rules.put", "rules.put"])
        }
    }

    @Test func aBadRuleIsRefusedNamingWhereItIsWrong() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            let text = try await client.execute(
                uri: "/api/v1/flags/ai/rules", method: .put, headers: [.authorization: "Bearer \(test.admin)", .contentType: "text/plain"],
                body: ByteBuffer(string: "errorRate > 0.05 over 15m\nerrorRate > 0.05 over fortnight\n"))
            #expect(text.status == .badRequest)
            let message = try #require(try text.json["error"]?["message"]?.stringValue)
            #expect(message.contains("line 2"))
            #expect(message.contains("column"))

            let json = try await client.send(
                .put, "/api/v1/flags/ai/rules", key: test.admin, json: ["errorRate > 0.05 over 15m", ["metric": "vibes"]])
            #expect(json.status == .badRequest)
            #expect(try json.json["error"]?["problems"]?.arrayValue?.first?["path"] == "rules[1]")
            #expect(try json.json["error"]?["message"]?.stringValue?.contains("member metric") == true)

            let missing = try await client.send(.put, "/api/v1/flags/nope/rules", key: test.admin, json: ["errorRate > 0.05 over 15m"])
            #expect(missing.status == .notFound)
            let unchanged = try await client.send(.get, "/api/v1/flags/ai/rules", key: test.admin)
            #expect(try unchanged.json["rules"] == [])
        }
    }

    @Test func aTripKillsTheFlagAndUnkillingReArmsTheRule() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            var traffic = Traffic(at: test.clock.now)
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            try await client.send(.put, "/api/v1/flags/ai/rules", key: test.admin, json: ["errorRate > 0.05 over 15m minSamples 20"])
            let healthy = (0..<40).flatMap { traffic.use("h-\($0)", $0 % 2 == 0 ? "on" : "off") }
            try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("healthy", healthy))

            let failing = (0..<30).flatMap { traffic.use("f-\($0)", "on", error: true) }
            try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("failing", failing))
            #expect(try await eventually { try await isKilled(client, test) })
            let flag = try await client.send(.get, "/api/v1/flags/ai", key: test.admin).json
            #expect(flag["kill"]?["by"] == "guardrails")
            #expect(flag["kill"]?["reason"]?.stringValue?.contains("errorRate > 0.05 over 15m minSamples 20") == true)
            let rules = try await client.send(.get, "/api/v1/flags/ai/rules", key: test.admin).json
            #expect(rules["rules"]?.arrayValue?.first?["trip"]?["variant"] == "on")
            let metrics = String(buffer: try await client.send(.get, "/metrics", key: nil).body)
            #expect(metrics.contains("switchyard_kills_total 1"))

            test.clock.advance(by: .seconds(120))
            try await client.send(.post, "/api/v1/flags/ai/unkill", key: test.admin, json: ["reason": "fixed the prompt"])
            #expect(
                try await eventually {
                    try await client.send(.get, "/api/v1/flags/ai/rules", key: test.admin).json["rules"]?.arrayValue?.first?["trip"] == nil
                })
            let audit = try await client.send(.get, "/api/v1/audit?flag=ai", key: test.admin).json
            #expect(audit["entries"]?.arrayValue?.first?["action"] == "rule.rearm")

            // Re-armed, the rule watches new data and trips again on new failures.
            traffic.at = test.clock.now
            let again = (0..<30).flatMap { traffic.use("g-\($0)", "on", error: true) }
            try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("failing-again", again))
            #expect(try await eventually { try await isKilled(client, test) })
        }
    }

    private func isKilled(_ client: some TestClientProtocol, _ test: TestServer) async throws -> Bool {
        try await client.send(.get, "/api/v1/flags/ai", key: test.admin).json["kill"] != nil
    }
}
