import Hummingbird
import HummingbirdTesting
import SwitchyardCore
import SwitchyardGuard
import SwitchyardTestSupport
import Testing

/// The README's workflow end to end, as a new user follows it: the example flag with its segment
/// gates, the default rollout, failing outputs, the kill and its marker, unkill without a re-trip.
@Suite struct GuardedRolloutWorkflowTests {
    static let segments: [String: JSONValue] = [
        "internal-users": ["ends_with": [["var": "email"], "@acme.com"]],
        "beta-opt-in": ["==": [["var": "beta"], true]],
        "enterprise-tier": ["==": [["var": "tier"], "enterprise"]],
    ]

    static let flag: JSONValue = [
        "key": "ai-document-summary", "state": "ENABLED", "variants": ["on": true, "off": false],
        "defaultVariant": "off", "safeVariant": "off",
        "targeting": [
            "if": [
                ["$ref": "internal-users"], "on",
                ["$ref": "beta-opt-in"], "on",
                ["$ref": "enterprise-tier"], ["fractional": [["on", 5], ["off", 95]]],
                ["fractional": [["on", 1], ["off", 99]]],
            ]
        ],
    ]

    /// Creates the segments and the flag.
    static func seed(_ client: some TestClientProtocol, _ test: TestServer) async throws {
        for (name, rule) in segments.sorted(by: { $0.key < $1.key }) {
            #expect(try await client.send(.put, "/api/v1/segments/\(name)", key: test.admin, json: rule).status == .created)
        }
        #expect(try await client.send(.post, "/api/v1/flags", key: test.admin, json: flag).status == .created)
    }

    /// The share of `count` users with `attributes` served `on` by the served document.
    static func treatedShare(_ client: some TestClientProtocol, _ test: TestServer, count: Int, attributes: [String: JSONValue]) async throws
        -> Double
    {
        let served = try await client.send(.get, "/api/v1/sdk/flags", key: test.sdk).json["document"]
        let document = try FlagDocument(json: try #require(served))
        let treated = (0..<count).filter { index in
            document.resolve("ai-document-summary", context: EvaluationContext(targetingKey: "user-\(index)", attributes: attributes)).value == true
        }
        return Double(treated.count) / Double(count)
    }

    @Test func theReadmeWalkthroughKeepsTheCanaryKillsWithAMarkerAndDoesNotRetripAfterUnkill() async throws {
        let test = try await TestServer.guarded()
        try await test.application().testLive { client in
            try await Self.seed(client, test)
            let started = try await client.send(.post, "/api/v1/flags/ai-document-summary/rollout", key: test.admin)
            #expect(started.status == .created)
            #expect(try started.json["treatmentPercent"] == 1.0)

            // Internal and beta users keep the treatment at 100 %; everyone else is at 1 %.
            #expect(try await Self.treatedShare(client, test, count: 300, attributes: ["email": "dev@acme.com"]) == 1)
            #expect(try await Self.treatedShare(client, test, count: 300, attributes: ["beta": true]) == 1)
            let everyone = try await Self.treatedShare(client, test, count: 20_000, attributes: [:])
            #expect(everyone > 0.006 && everyone < 0.014, "1 % of everyone, got \(everyone)")
            let enterprise = try await Self.treatedShare(client, test, count: 20_000, attributes: ["tier": "enterprise"])
            #expect(enterprise > 0.04 && enterprise < 0.06, "the enterprise gate keeps its 5 %, got \(enterprise)")
            let internalAnswer = try await client.send(
                .post, "/ofrep/v1/evaluate/flags/ai-document-summary", key: test.sdk,
                json: ["context": ["targetingKey": "u-1", "email": "dev@acme.com"]])
            #expect(try internalAnswer.json["value"] == true)

            // Failing outputs trip the rule; the kill carries its marker on OFREP and the stream.
            try await client.send(.put, "/api/v1/flags/ai-document-summary/rules", key: test.admin, json: ["errorRate > 0.05 over 15m minSamples 20"])
            let stream = try await SSEClient(port: try #require(client.port), path: "/api/v1/sdk/stream?client=walkthrough", key: test.sdk)
            _ = try await stream.next()
            test.clock.advance(by: .seconds(1))
            var traffic = Traffic(at: test.clock.now, flag: "ai-document-summary")
            let bad = (0..<30).flatMap { traffic.use("u-\($0)", "on", error: true) }
            #expect(try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("bad", bad)).json["accepted"] == 60)
            let change = try #require(try await stream.next())
            let kill = try JSONValue(parsing: change.data)["kill"]
            #expect(kill?["by"] == "guardrails")
            #expect(kill?["reason"]?.stringValue?.contains("errorRate > 0.05") == true)
            let killed = try await client.send(
                .post, "/ofrep/v1/evaluate/flags/ai-document-summary", key: test.sdk, json: ["context": ["targetingKey": "u-1"]]
            ).json
            #expect(killed["value"] == false && killed["reason"] == "DISABLED")
            #expect(killed["metadata"]?["killed"] == true && killed["metadata"]?["killedBy"] == "guardrails")
            let report = try await client.send(.get, "/api/v1/flags/ai-document-summary/report", key: test.admin).json
            #expect(report["trippedRules"]?[0]?["rule"] == "errorRate > 0.05 over 15m minSamples 20")
            #expect(report["kill"]?["by"] == "guardrails")
            let table = String(buffer: try await client.send(.get, "/api/v1/flags/ai-document-summary/report?format=table", key: test.admin).body)
            #expect(table.hasPrefix("KILLED by rule 'errorRate > 0.05 over 15m minSamples 20' on variant on: wilson test"))

            // Unkilled in the same minute as the bad samples: they no longer count.
            test.clock.advance(by: .seconds(2))
            #expect(
                try await client.send(.post, "/api/v1/flags/ai-document-summary/unkill", key: test.admin, json: ["reason": "fixed the prompt"]).status
                    == .ok)
            #expect(
                try await eventually {
                    try await client.send(.get, "/api/v1/flags/ai-document-summary/rules", key: test.admin).json["rules"]?[0]?["trip"] == nil
                })
            try await Task.sleep(for: .milliseconds(300))
            #expect(
                try await client.send(.get, "/api/v1/flags/ai-document-summary", key: test.admin).json["kill"] == nil, "no re-trip on old samples")

            // Fresh bad outputs after the unkill trip it again.
            test.clock.advance(by: .seconds(1))
            traffic.at = test.clock.now
            let fresh = (30..<60).flatMap { traffic.use("u-\($0)", "on", error: true) }
            #expect(try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("fresh", fresh)).json["accepted"] == 60)
            #expect(
                try await eventually {
                    try await client.send(.get, "/api/v1/flags/ai-document-summary", key: test.admin).json["kill"] != nil
                })
        }
    }

    @Test func aRunningRolloutRefusesTargetingEditsUntilPausedAndAbortRestoresTheGates() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            try await Self.seed(client, test)
            #expect(try await client.send(.post, "/api/v1/flags/ai-document-summary/rollout", key: test.admin).status == .created)
            let current = try await client.send(.get, "/api/v1/flags/ai-document-summary", key: test.admin)
            let version = try #require(current.headers[.eTag])
            guard case .object(var definition) = try #require(try current.json["definition"]) else { Issue.record("no definition"); return }
            definition["targeting"] = ["fractional": [["on", 50], ["off", 50]]]
            let refused = try await client.send(
                .put, "/api/v1/flags/ai-document-summary", key: test.admin, json: .object(definition), headers: [.ifMatch: version])
            #expect(refused.status == .conflict)
            #expect(try refused.json["error"]?["message"]?.stringValue?.contains("running rollout") == true)

            // Other edits pass: a metadata change keeps the targeting.
            guard case .object(var labelled) = try #require(try current.json["definition"]) else { return }
            labelled["metadata"] = ["owner": "summaries"]
            #expect(
                try await client.send(
                    .put, "/api/v1/flags/ai-document-summary", key: test.admin, json: .object(labelled), headers: [.ifMatch: version]
                ).status == .ok)

            let aborted = try await client.send(.post, "/api/v1/flags/ai-document-summary/rollout/abort", key: test.admin)
            #expect(try aborted.json["treatmentPercent"] == 0.0, "status reports what is served after an abort")
            #expect(try aborted.json["phase"] == "rolledBack")
            #expect(try await Self.treatedShare(client, test, count: 200, attributes: ["email": "dev@acme.com"]) == 1, "the gates are restored")
            #expect(try await Self.treatedShare(client, test, count: 5_000, attributes: [:]) == 0)
        }
    }

    @Test func aDryRunShowsEveryStageWithoutWritingAndStatusExplainsWhatBlocks() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            try await Self.seed(client, test)
            let dryRun = try await client.send(.post, "/api/v1/flags/ai-document-summary/rollout?dryRun=true", key: test.admin).json
            #expect(dryRun["stages"]?.arrayValue?.count == 5)
            #expect(dryRun["stages"]?[0]?["targeting"]?["if"]?[0] == ["$ref": "internal-users"], "the gates stay in front")
            #expect(dryRun["stages"]?[4]?["targeting"]?["if"]?[6] == ["fractional": [["on", 100_000], ["off", 0]]])
            #expect(
                try await client.send(.get, "/api/v1/flags/ai-document-summary/rollout", key: test.admin).status == .notFound, "nothing was started")

            try await client.send(.post, "/api/v1/flags/ai-document-summary/rollout", key: test.admin)
            let status = try await client.send(.get, "/api/v1/flags/ai-document-summary/rollout", key: test.admin).json
            #expect(status["nextStage"] == "5%")
            #expect(status["timeline"]?[0]?["status"] == "current")
            let blockers = status["blockers"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(blockers.contains { $0.hasPrefix("time: ") })
            #expect(blockers.contains { $0.hasPrefix("units: 0 of 100") })
            #expect(status["earliestAdvanceInMs"] == .integer(3 * 86_400_000))

            try await client.send(.post, "/api/v1/flags/ai-document-summary/kill", key: test.admin, json: ["reason": "checking"])
            let waiting = try await client.send(.get, "/api/v1/flags/ai-document-summary/rollout", key: test.admin).json
            #expect(waiting["blockers"]?[0]?.stringValue?.hasPrefix("waiting: the flag is killed") == true)
        }
    }

    @Test func eventsNamingWhatTheEnvironmentLacksAreRejectedOneByOneAndSecondsAreRefused() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            var traffic = Traffic(at: test.clock.now)
            var events = traffic.use("u-1", "on")
            var misspelled = Traffic(at: test.clock.now, flag: "aii")
            events += misspelled.use("u-2", "on")
            events += traffic.use("u-3", "onn")
            let answer = try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("mixed", events)).json
            #expect(answer["accepted"] == 2)
            let rejected = answer["rejected"]?.arrayValue ?? []
            #expect(rejected.count == 4)
            #expect(rejected.first?["path"] == "events[2].flag")
            #expect(rejected.first?["message"] == "events[2].flag: no flag \"aii\" in production; did you mean \"ai\"?")
            #expect(rejected.last?["message"] == "events[5].variant: flag \"ai\" has no variant \"onn\"; did you mean \"on\"?")

            var seconds = Traffic(at: Timestamp(millisecondsSinceEpoch: test.clock.now.millisecondsSinceEpoch / 1000))
            let refused = try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("seconds", seconds.use("u-1", "on")))
            #expect(refused.status == .badRequest)
            #expect(try refused.json["error"]?["message"]?.stringValue?.contains("looks like seconds") == true)

            let report = try await client.send(.get, "/api/v1/flags/ai/report", key: test.admin).json
            let on = report["arms"]?.arrayValue?.first { $0["variant"] == "on" }
            let length = try #require(on?["values"]?["meanOutputChars"]?.numberValue)
            #expect(abs(length - 800) < 0.01, "output length in characters, as kill rules name it")
            #expect(on?["sparklines"]?["errorRate"]?.arrayValue?.count == 60, "the last hour minute by minute")

            let rules = try await client.send(.put, "/api/v1/flags/ai/rules", key: test.admin, json: ["errorRate > 0.05 over 15m minSamples 20"]).json
            #expect(rules["control"] == "off" && rules["watchedVariants"] == ["on"])
            #expect(rules["lastOutputAt"] == .integer(test.clock.now.millisecondsSinceEpoch))
        }
    }
}

@Suite struct AggregateLimitTests {
    @Test func eventsThatWouldAddArmsBeyondTheLimitAreRefusedCountedAndLogged() async throws {
        let test = try await TestServer.guarded(maximumArms: 2)
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            try await client.send(.put, "/api/v1/segments/beta", key: test.admin, json: ["==": [["var": "beta"], true]])
            var traffic = Traffic(at: test.clock.now)
            let first = try await client.send(
                .post, "/api/v1/events", key: test.sdk, json: Traffic.batch("a", traffic.use("u-1", "on") + traffic.use("u-2", "off"))
            ).json
            #expect(first["accepted"] == 4, "two arms: ai/on and ai/off")
            let third = try await client.send(
                .post, "/api/v1/events", key: test.sdk, json: Traffic.batch("b", traffic.use("u-3", "on", segment: "beta"))
            ).json
            #expect(third["accepted"] == 1, "the output joins ai/on; the exposure would add ai/on/beta")
            #expect(third["rejected"]?.arrayValue?.first?["message"]?.stringValue?.contains("already holds 2 flag × variant × segment arms") == true)
            #expect(test.logs.contains(.warning, "events refused: the environment's aggregates hold the most arms allowed"))
            let metrics = String(buffer: try await client.send(.get, "/metrics", key: nil).body)
            #expect(metrics.contains("switchyard_events_over_aggregate_limit_total 1"))
        }
    }
}

extension JSONValue {
    /// An array element, `nil` out of range or for a non-array.
    fileprivate subscript(index: Int) -> JSONValue? {
        guard let items = arrayValue, items.indices.contains(index) else { return nil }
        return items[index]
    }
}
