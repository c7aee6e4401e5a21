import Foundation
import HummingbirdTesting
import SwitchyardCore
import SwitchyardTestSupport
import Testing

@Suite struct RolloutTests {
    /// 10 % → 50 % → 100 %, an hour and 50 units per arm each, rolling back on errors.
    static let plan: JSONValue = [
        "control": "off", "treatment": "on",
        "stages": [
            ["percent": 10, "minDuration": "1h", "minUnitsPerArm": 50],
            ["percent": 50, "minDuration": "1h", "minUnitsPerArm": 50],
            ["percent": 100, "minDuration": "0s", "minUnitsPerArm": 0],
        ],
        "guardrails": [["metric": "errorRate", "action": "rollback"]],
    ]

    @Test func aHealthyPlanAdvancesOnTheClockAndCompletes() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            let started = try await client.send(.post, "/api/v1/flags/ai/rollout", key: test.admin, json: Self.plan)
            #expect(started.status == .created)
            #expect(try await targeting(client, test) == ["fractional": [["on", 10_000], ["off", 90_000]]])

            var traffic = Traffic(at: test.clock.now)
            let first = (0..<500).flatMap { traffic.use("a-\($0)", $0 < 50 ? "on" : "off") }
            try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("stage-1", first))
            // Enough units, but the stage's hour has not passed.
            #expect(try await stage(client, test) == 0)
            test.clock.advance(by: .seconds(3601))
            #expect(try await eventually { try await stage(client, test) == 1 })
            #expect(try await targeting(client, test) == ["fractional": [["on", 50_000], ["off", 50_000]]])

            traffic.at = test.clock.now
            let second = (0..<120).flatMap { traffic.use("b-\($0)", $0 % 2 == 0 ? "on" : "off") }
            try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("stage-2", second))
            test.clock.advance(by: .seconds(3601))
            #expect(try await eventually { try await phase(client, test) == "completed" })
            #expect(try await targeting(client, test) == ["fractional": [["on", 100_000], ["off", 0]]])

            let entries = try await client.send(.get, "/api/v1/audit?flag=ai", key: test.admin).json["entries"]?.arrayValue ?? []
            let rollout = entries.compactMap { $0["action"]?.stringValue }.filter { $0.hasPrefix("rollout.") }
            #expect(rollout == ["rollout.completed", "rollout.advanced", "rollout.started"])
            let advanced = try #require(entries.first { $0["action"] == "rollout.advanced" })
            #expect(advanced["after"]?["evidence"]?.arrayValue?.first?["verdict"] == "noEvidence")
            #expect(advanced["after"]?["sampleRatio"]?["healthy"] == true)
        }
    }

    @Test func aRegressionRollsBackAndKills() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            try await client.send(.post, "/api/v1/flags/ai/rollout", key: test.admin, json: Self.plan)
            var traffic = Traffic(at: test.clock.now)
            let events = (0..<500).flatMap { traffic.use("u-\($0)", $0 < 50 ? "on" : "off", error: $0 < 40) }
            try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("regression", events))

            #expect(try await eventually { try await phase(client, test) == "rolledBack" })
            #expect(try await targeting(client, test) == ["fractional": [["on", 0], ["off", 100_000]]])
            let flag = try await client.send(.get, "/api/v1/flags/ai", key: test.admin).json
            #expect(flag["kill"]?["by"] == "guardrails")
            let entries = try await client.send(.get, "/api/v1/audit?flag=ai", key: test.admin).json["entries"]?.arrayValue ?? []
            let rolledBack = try #require(entries.first { $0["action"] == "rollout.rolledBack" })
            #expect(rolledBack["after"]?["evidence"]?.arrayValue?.first?["verdict"] == "regression")
            #expect(rolledBack["reason"]?.stringValue?.contains("errorRate") == true)
        }
    }

    @Test func longerOutputsHoldTheRolloutUntilAPersonResumes() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            guard case .object(var plan) = Self.plan else {
                Issue.record("the plan is not an object")
                return
            }
            plan["guardrails"] = [["metric": "logOutputChars", "action": "hold"]]  // the former name still loads
            try await client.send(.post, "/api/v1/flags/ai/rollout", key: test.admin, json: .object(plan))
            var traffic = Traffic(at: test.clock.now)
            let events = (0..<500).flatMap { unit in
                unit < 50 ? traffic.use("u-\(unit)", "on", chars: 2400 + 7 * unit) : traffic.use("u-\(unit)", "off", chars: 800 + unit)
            }
            try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("long", events))
            test.clock.advance(by: .seconds(7200))

            #expect(
                try await eventually {
                    try await client.send(.get, "/api/v1/flags/ai/rollout", key: test.admin).json["state"]?["holding"] == true
                })
            let status = try await client.send(.get, "/api/v1/flags/ai/rollout", key: test.admin).json
            #expect(status["state"]?["stage"] == 0)
            let entries = try await client.send(.get, "/api/v1/audit?flag=ai", key: test.admin).json["entries"]?.arrayValue ?? []
            let held = try #require(entries.first { $0["action"] == "rollout.held" })
            #expect(held["after"]?["evidence"]?.arrayValue?.first?["metric"] == "meanOutputChars")
            #expect(held["after"]?["evidence"]?.arrayValue?.first?["verdict"] == "regression")
            let flag = try await client.send(.get, "/api/v1/flags/ai", key: test.admin).json
            #expect(flag["kill"] == nil)
        }
    }

    @Test func theDefaultPlanSurvivesARestartAndObeysCommands() async throws {
        let path = temporaryDatabase()
        defer { removeDatabase(path) }
        let clock = TestClock(TestClock.fixedStart)
        let first = try await TestServer.guarded(path: path, clock: clock)
        try await first.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: first.admin, json: TestServer.ai)
            let started = try await client.send(.post, "/api/v1/flags/ai/rollout", key: first.admin)
            #expect(started.status == .created)
            #expect(try started.json["stage"] == "1%")
            #expect(try started.json["plan"]?["stages"]?.arrayValue?.count == 5)
            let again = try await client.send(.post, "/api/v1/flags/ai/rollout", key: first.admin)
            #expect(again.status == .conflict)
            clock.advance(by: .seconds(3600))
            let paused = try await client.send(.post, "/api/v1/flags/ai/rollout/pause", key: first.admin)
            #expect(try paused.json["state"]?["phase"] == "paused")
        }

        clock.advance(by: .seconds(86_400))
        let second = try await TestServer.guarded(path: path, clock: clock, keys: (first.admin, first.sdk))
        try await second.application().test(.router) { client in
            let status = try await client.send(.get, "/api/v1/flags/ai/rollout", key: second.admin).json
            #expect(status["state"]?["phase"] == "paused")
            #expect(status["stage"] == "1%")
            let resumed = try await client.send(.post, "/api/v1/flags/ai/rollout/resume", key: second.admin).json
            #expect(resumed["state"]?["phase"] == "running")
            // The day spent paused does not count toward the stage.
            #expect(resumed["state"]?["stageStartedAt"] == .integer(clock.now.millisecondsSinceEpoch - 3_600_000))
            let aborted = try await client.send(.post, "/api/v1/flags/ai/rollout/abort", key: second.admin).json
            #expect(aborted["state"]?["phase"] == "rolledBack")
            #expect(try await targeting(client, second) == ["fractional": [["on", 0], ["off", 100_000]]])
            let flag = try await client.send(.get, "/api/v1/flags/ai", key: second.admin).json
            #expect(flag["kill"] == nil)
            let refused = try await client.send(.post, "/api/v1/flags/ai/rollout/pause", key: second.admin)
            #expect(refused.status == .conflict)
        }
    }

    @Test func anInvalidPlanIsRefused() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            let noStages = try await client.send(.post, "/api/v1/flags/ai/rollout", key: test.admin, json: ["control": "off", "treatment": "on"])
            #expect(noStages.status == .badRequest)
            #expect(try noStages.json["error"]?["message"]?.stringValue?.contains("at least one stage") == true)
            var plan = Self.plan
            if case .object(var members) = plan {
                members["treatment"] = "gpt-9"
                plan = .object(members)
            }
            let unknownVariant = try await client.send(.post, "/api/v1/flags/ai/rollout", key: test.admin, json: plan)
            #expect(unknownVariant.status == .badRequest)
            let none = try await client.send(.get, "/api/v1/flags/ai/rollout", key: test.admin)
            #expect(none.status == .notFound)
        }
    }

    private func stage(_ client: some TestClientProtocol, _ test: TestServer) async throws -> Int64? {
        guard case .integer(let stage)? = try await client.send(.get, "/api/v1/flags/ai/rollout", key: test.admin).json["state"]?["stage"] else {
            return nil
        }
        return stage
    }

    private func phase(_ client: some TestClientProtocol, _ test: TestServer) async throws -> String? {
        try await client.send(.get, "/api/v1/flags/ai/rollout", key: test.admin).json["state"]?["phase"]?.stringValue
    }

    private func targeting(_ client: some TestClientProtocol, _ test: TestServer) async throws -> JSONValue? {
        try await client.send(.get, "/api/v1/flags/ai", key: test.admin).json["definition"]?["targeting"]
    }
}
