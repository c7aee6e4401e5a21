import Foundation
import HummingbirdTesting
import SwitchyardCore
import SwitchyardGuard
import SwitchyardTestSupport
import Testing

@Suite struct EventIngestionTests {
    @Test func aBatchSentTwiceIsCountedOnce() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            var traffic = Traffic(at: test.clock.now)
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            let batch = Traffic.batch("b-1", traffic.use("u-1", "on") + traffic.use("u-2", "off"))
            let first = try await client.send(.post, "/api/v1/events", key: test.sdk, json: batch)
            #expect(first.status == .ok)
            #expect(try first.json["accepted"] == 4)
            #expect(try first.json["duplicate"] == false)
            let again = try await client.send(.post, "/api/v1/events", key: test.sdk, json: batch)
            #expect(again.status == .ok)
            #expect(try again.json["accepted"] == 0)
            #expect(try again.json["duplicate"] == true)

            let report = try await client.send(.get, "/api/v1/flags/ai/report", key: test.admin).json
            let arms = try #require(report["arms"]?.arrayValue)
            #expect(arms.compactMap { $0["outputs"]?.numberValue }.reduce(0, +) == 2)
        }
    }

    @Test func invalidEventsAreRejectedOneByOneAndValidOnesKept() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            var traffic = Traffic(at: test.clock.now)
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            var events = traffic.use("u-1", "on")
            events.insert(["type": "output", "flag": "ai", "latencyMs": -1, "timestamp": 5], at: 1)
            events.append(["type": "teleport", "timestamp": 5])
            traffic.at = test.clock.now + .seconds(3600)
            events.append(traffic.use("u-future", "on")[0])
            traffic.at = test.clock.now - .seconds(3 * 86_400)
            events.append(traffic.use("u-ancient", "on")[0])
            let response = try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("b-2", events))
            #expect(response.status == .ok)
            #expect(try response.json["accepted"] == 2)
            let rejected = try #require(try response.json["rejected"]?.arrayValue)
            let paths = rejected.compactMap { $0["path"]?.stringValue }
            #expect(paths.count == 4)
            #expect(paths.prefix(2).allSatisfy { $0.hasPrefix("events[1]") || $0.hasPrefix("events[3]") })
            #expect(paths.suffix(2) == ["events[4].timestamp", "events[5].timestamp"])
            #expect(rejected.contains { $0["message"]?.stringValue?.contains("must be one of") == true })
            #expect(rejected.contains { $0["message"]?.stringValue?.contains("ahead of the server's clock") == true })

            let report = try await client.send(.get, "/api/v1/flags/ai/report", key: test.admin).json
            #expect(report["arms"]?.arrayValue?.first { $0["variant"] == "on" }?["outputs"] == 1)
        }
    }

    @Test func aMalformedBatchOrAnAdminKeyIsRefused() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            let noId = try await client.send(.post, "/api/v1/events", key: test.sdk, json: ["events": []])
            #expect(noId.status == .badRequest)
            #expect(try noId.json["error"]?["problems"]?.arrayValue?.first?["path"] == "batchId")
            let admin = try await client.send(.post, "/api/v1/events", key: test.admin, json: Traffic.batch("b", []))
            #expect(admin.status == .forbidden)
            let none = try await client.send(.post, "/api/v1/events", key: nil, json: Traffic.batch("b", []))
            #expect(none.status == .unauthorized)
        }
    }

    @Test func acceptedEventsSurviveARestartOnTheSameDatabaseFile() async throws {
        let path = temporaryDatabase()
        defer { removeDatabase(path) }
        let clock = TestClock(TestClock.fixedStart)
        let first = try await TestServer.guarded(path: path, clock: clock)
        var traffic = Traffic(at: clock.now)
        let batch = Traffic.batch(
            "b-durable",
            traffic.use("u-1", "on", error: true) + traffic.use("u-2", "off") + traffic.use("u-3", "off", segment: "beta")
                + traffic.use("u-4", "on", segment: "beta"))
        let before = try await first.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: first.admin, json: TestServer.ai)
            try await client.send(.put, "/api/v1/segments/beta", key: first.admin, json: ["==": [["var": "beta"], true]])
            let response = try await client.send(.post, "/api/v1/events", key: first.sdk, json: batch)
            #expect(try response.json["accepted"] == 8)
            return try await client.send(.get, "/api/v1/flags/ai/report", key: first.admin).json
        }

        let second = try await TestServer.guarded(path: path, clock: clock, keys: (first.admin, first.sdk))
        try await second.application().test(.router) { client in
            let after = try await client.send(.get, "/api/v1/flags/ai/report", key: second.admin).json
            #expect(after["arms"] == before["arms"])
            #expect(after["arms"]?.arrayValue?.first { $0["variant"] == "on" }?["units"] == 2)
            #expect(after["arms"]?.arrayValue?.first { $0["variant"] == "on" }?["values"]?["errorRate"] == 0.5)
            let again = try await client.send(.post, "/api/v1/events", key: second.sdk, json: batch)
            #expect(try again.json["duplicate"] == true)
            #expect(!second.logs.contains(.debug, "duplicate event batch"), "recognised from the ids read at start, not by the store")
        }
    }
}
