import Foundation
import HummingbirdTesting
import SwitchyardCore
import SwitchyardGuard
import SwitchyardTestSupport
import Testing

/// The guardrails lose no evidence when the server restarts on the same database file.
@Suite struct GuardrailRestartTests {
    static func followUp(_ type: String, _ outputId: String, at time: Timestamp, _ members: [String: JSONValue]) -> JSONValue {
        .object(members.merging(["type": .string(type), "outputId": .string(outputId), "timestamp": .integer(time.millisecondsSinceEpoch)]) { $1 })
    }

    /// Negative feedback and an edit on u-1's output ("on"), an action on u-2's ("off").
    static func followUps(at time: Timestamp) -> [JSONValue] {
        [
            followUp("feedback", "o-u-1-1", at: time, ["positive": false]),
            followUp("edit", "o-u-1-1", at: time, ["editedLength": 700, "editDistance": 90]),
            followUp("action", "o-u-2-2", at: time, ["name": "sent"]),
        ]
    }

    /// The per-unit values the follow-ups change, per variant.
    static func followUpValues(_ client: some TestClientProtocol, _ test: TestServer) async throws -> [String: [Double]] {
        let report = try await client.send(.get, "/api/v1/flags/ai/report", key: test.admin).json
        var values: [String: [Double]] = [:]
        for arm in report["arms"]?.arrayValue ?? [] {
            guard let variant = arm["variant"]?.stringValue else { continue }
            values[variant] = ["negativeFeedbackPerUnit", "editRate", "actionRate"].map { arm["values"]?[$0]?.numberValue ?? -1 }
        }
        return values
    }

    @Test func aFollowUpAfterARestartIsAttributedToTheOutputFromBeforeIt() async throws {
        let path = temporaryDatabase()
        defer { removeDatabase(path) }
        let clock = TestClock(TestClock.fixedStart)
        let first = try await TestServer.guarded(path: path, clock: clock)
        var traffic = Traffic(at: clock.now)
        let outputs = Traffic.batch("outputs", traffic.use("u-1", "on") + traffic.use("u-2", "off"))
        try await first.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: first.admin, json: TestServer.ai)
            let posted = try await client.send(.post, "/api/v1/events", key: first.sdk, json: outputs)
            #expect(try posted.json["accepted"] == 4)
        }

        clock.advance(by: .seconds(600))
        let second = try await TestServer.guarded(path: path, clock: clock, keys: (first.admin, first.sdk))
        try await second.application().test(.router) { client in
            let posted = try await client.send(
                .post, "/api/v1/events", key: second.sdk, json: Traffic.batch("follow-ups", Self.followUps(at: clock.now - .seconds(60))))
            #expect(try posted.json["accepted"] == 3)
            #expect(try await Self.followUpValues(client, second) == ["on": [1, 1, 0], "off": [0, 0, 1]])
            let report = try await client.send(.get, "/api/v1/flags/ai/report", key: second.admin).json
            let on = report["arms"]?.arrayValue?.first { $0["variant"] == "on" }
            #expect(
                on?["sparklines"]?["negativeFeedbackPerUnit"]?.arrayValue?.contains { $0.numberValue == 1 } == true,
                "the minute totals have the rating too")
        }
    }

    /// Follow-ups name no unit, yet the per-unit totals they change are stored with their batch:
    /// a restart right after them keeps them.
    @Test func perUnitTotalsChangedByFollowUpsAreStoredAtOnce() async throws {
        let path = temporaryDatabase()
        defer { removeDatabase(path) }
        let clock = TestClock(TestClock.fixedStart)
        let first = try await TestServer.guarded(path: path, clock: clock)
        var traffic = Traffic(at: clock.now)
        let outputs = Traffic.batch("outputs", traffic.use("u-1", "on") + traffic.use("u-2", "off"))
        try await first.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: first.admin, json: TestServer.ai)
            try await client.send(.post, "/api/v1/events", key: first.sdk, json: outputs)
            try await client.send(
                .post, "/api/v1/events", key: first.sdk, json: Traffic.batch("follow-ups", Self.followUps(at: clock.now + .seconds(30))))
            #expect(try await Self.followUpValues(client, first) == ["on": [1, 1, 0], "off": [0, 0, 1]])
        }

        let second = try await TestServer.guarded(path: path, clock: clock, keys: (first.admin, first.sdk))
        let values = try await second.application().test(.router) { client in try await Self.followUpValues(client, second) }
        #expect(values == ["on": [1, 1, 0], "off": [0, 0, 1]])
    }

    /// One batch a minute of 20 outputs of "on", 2 of them errors. Under
    /// `errorRate > 0.1 over 2m minSamples 100 baseline 0.02` the window never holds 100 outputs, so
    /// only the CUSUM can trip: each batch adds 2·ln(0.1/0.02) + 18·ln(0.9/0.98) ≈ 1.686 and the
    /// ninth crosses ln(0.99/10⁻⁶) ≈ 13.8. Returns the batch after which the rule tripped, the
    /// trip, and the CUSUM state the server restarted after `restartAfter` batches found stored.
    static func buildingBreach(restartAfter restart: Int?) async throws -> (batch: Int, trip: JSONValue, resumed: JSONValue?)? {
        let path = temporaryDatabase()
        defer { removeDatabase(path) }
        let clock = TestClock(TestClock.fixedStart)
        let first = try await TestServer.guarded(path: path, clock: clock)
        let before = try await first.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: first.admin, json: TestServer.ai)
            try await client.send(.put, "/api/v1/flags/ai/rules", key: first.admin, json: ["errorRate > 0.1 over 2m minSamples 100 baseline 0.02"])
            return try await Self.post(1...(restart ?? 12), to: first, client)
        }
        guard let restart, before == nil else { return before.map { ($0.batch, $0.trip, nil) } }

        let second = try await TestServer.guarded(path: path, clock: clock, keys: (first.admin, first.sdk))
        return try await second.application().test(.router) { client in
            let resumed = try await Self.firstRule(client, second)?["cusum"]?["on"]
            return try await Self.post((restart + 1)...12, to: second, client).map { ($0.batch, $0.trip, resumed) }
        }
    }

    /// Posts the batches, one a minute, waiting after each until the rule has read it; returns the
    /// trip and the batch it came after, or `nil` when the rule did not trip.
    static func post(
        _ batches: ClosedRange<Int>, to test: TestServer, _ client: some TestClientProtocol
    ) async throws -> (batch: Int, trip: JSONValue)? {
        for batch in batches {
            test.clock.advance(by: .seconds(60))
            var traffic = Traffic(at: test.clock.now)
            let events = (0..<20).flatMap { traffic.use("u-\(batch)-\($0)", "on", error: $0 < 2) }
            try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("b-\(batch)", events))
            let minute = JSONValue.integer(test.clock.now.minute)
            var rule: JSONValue?
            let read = try await eventually {
                rule = try await Self.firstRule(client, test)
                return rule?["trip"] != nil || (rule?["cusum"]?["on"]?["minute"] == minute && rule?["cusum"]?["on"]?["trials"] == 20)
            }
            #expect(read, "the rule read batch \(batch)")
            if let trip = rule?["trip"] { return (batch, trip) }
        }
        return nil
    }

    @Test func aKillRuleBreachBuildingAcrossARestartTripsAtTheSameBatch() async throws {
        let uninterrupted = try #require(try await Self.buildingBreach(restartAfter: nil))
        let restarted = try #require(try await Self.buildingBreach(restartAfter: 6))
        #expect(uninterrupted.batch == 9)
        #expect(restarted.batch == 9)
        #expect(restarted.trip == uninterrupted.trip)
        #expect(restarted.trip["measurement"]?["method"] == "cusum")
        let statistic = try #require(restarted.resumed?["statistic"]?.numberValue)
        #expect(abs(statistic - 6 * (2 * log(5.0) + 18 * log(0.9 / 0.98))) < 1e-9, "the restart resumed after six batches")
    }

    static func firstRule(_ client: some TestClientProtocol, _ test: TestServer) async throws -> JSONValue? {
        try await client.send(.get, "/api/v1/flags/ai/rules", key: test.admin).json["rules"]?.arrayValue?.first
    }
}
