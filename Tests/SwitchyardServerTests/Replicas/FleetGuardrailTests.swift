import HummingbirdTesting
import Prometheus
import SwitchyardCore
import SwitchyardGuard
import SwitchyardPostgres
import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport
import Testing

/// Guardrails over several replicas: every replica ingests events, and the one holding the
/// controller role judges the fleet's sum; rules and rollouts changed through any replica reach it.
@Suite(.enabled(if: TestPostgres.isConfigured, Comment(rawValue: TestPostgres.skipMessage)))
struct FleetGuardrailTests {
    /// A running replica: its HTTP port and what it logged.
    struct Running: Sendable {
        let client: HTTPTestClient
        let logs: LogCapture

        var holdsTheRole: Bool { logs.contains(.notice, ControllerRoleTests.holding) }
    }

    /// Runs a replica with guardrails on `clock`, trying for the controller role every 100 ms, while `body` runs.
    static func run(url: PostgresURL, clock: TestClock, _ body: @escaping @Sendable (Running) async throws -> Void) async throws {
        let logs = LogCapture()
        try await PostgresFlagStore.withStore(url: url, logger: logs.logger) { store in
            let guardrails = GuardrailConfiguration(
                ruleInterval: .milliseconds(20), rolloutInterval: .milliseconds(20), webhooks: [], webhookAttempts: 1,
                webhookBackoff: .milliseconds(10))
            let server = SwitchyardServer(
                store: store, configuration: ServerConfiguration(host: "127.0.0.1", port: 0, guardrails: guardrails, clock: clock.wallClock),
                registry: PrometheusCollectorRegistry(), logger: logs.logger, notifications: store,
                controllerRole: store.controllerRole(interval: .milliseconds(100)))
            try await server.makeApplication().testLive { client in
                try await body(Running(client: HTTPTestClient(port: try #require(client.port)), logs: logs))
            }
        }
    }

    /// Two replicas, the first holding the controller role, with an admin and an SDK key.
    static func withTwo(
        url: PostgresURL, clock: TestClock,
        _ body: @escaping @Sendable (_ holder: Running, _ other: Running, _ admin: String, _ sdk: String) async throws -> Void
    ) async throws {
        let (admin, sdk) = try await PostgresFlagStore.withStore(url: url, logger: LogCapture().logger) { store in
            (
                try await store.createAPIKey(APIKeyRequest(kind: .admin, environment: nil, name: "admin"), by: .system).secret,
                try await store.createAPIKey(APIKeyRequest(kind: .sdk, environment: "production", name: "web"), by: .system).secret
            )
        }
        try await run(url: url, clock: clock) { holder in
            #expect(await eventually(timeout: .seconds(60)) { holder.holdsTheRole })
            try await run(url: url, clock: clock) { other in
                try await body(holder, other, admin, sdk)
            }
        }
    }

    static func audit(_ replica: Running, _ admin: String) async throws -> [String] {
        try await replica.client.call(.GET, "/api/v1/audit?flag=ai", key: admin).body["entries"]?.arrayValue?.compactMap { $0["action"]?.stringValue }
            ?? []
    }

    @Test func aBreachSplitAcrossTwoReplicasTripsTheRuleOnce() async throws {
        try await TestPostgres.withDatabase { url in
            let clock = TestClock(TestClock.fixedStart)
            try await Self.withTwo(url: url, clock: clock) { holder, other, admin, sdk in
                #expect(try await other.client.call(.POST, "/api/v1/flags", key: admin, json: TestServer.ai).status == 201)
                // Put through the replica without the role: the holder must follow at once.
                let put = try await other.client.call(.PUT, "/api/v1/flags/ai/rules", key: admin, json: ["errorRate > 0.05 over 15m minSamples 20"])
                #expect(put.status == 200)
                #expect(
                    try await eventually {
                        try await holder.client.call(.GET, "/api/v1/flags/ai/rules", key: admin).body["rules"]?.arrayValue?.count == 1
                    })

                // 15 outputs, 12 of them errors, through each replica: neither reaches minSamples alone.
                var traffic = Traffic(at: clock.now)
                let first = (0..<15).flatMap { traffic.use("a-\($0)", "on", error: $0 % 5 != 0) }
                #expect(try await holder.client.post("/api/v1/events", key: sdk, json: Traffic.batch("holder-1", first)) == 200)
                try await Task.sleep(for: .milliseconds(500))
                #expect(try await Self.audit(holder, admin).filter { $0 == "flag.kill" }.isEmpty, "15 samples alone stay below minSamples")
                // The replica without the role shows the rule's current value on the fleet's events too.
                let current = try await other.client.call(.GET, "/api/v1/flags/ai/rules", key: admin).body["rules"]?.arrayValue?.first?["current"]?[
                    "on"]
                #expect(current?["samples"] == 15)

                let second = (0..<15).flatMap { traffic.use("b-\($0)", "on", error: $0 % 5 != 0) }
                #expect(try await other.client.post("/api/v1/events", key: sdk, json: Traffic.batch("other-1", second)) == 200)
                // The same batch again, through the other replica: counted once in the fleet.
                #expect(try await holder.client.post("/api/v1/events", key: sdk, json: Traffic.batch("other-1", second)) == 200)
                #expect(try await eventually { try await Self.audit(holder, admin).contains("rule.trip") })
                try await Task.sleep(for: .milliseconds(500))
                let actions = try await Self.audit(other, admin)
                #expect(actions.filter { $0 == "flag.kill" }.count == 1)
                #expect(actions.filter { $0 == "rule.trip" }.count == 1)
                let trip = try #require(
                    try await other.client.call(.GET, "/api/v1/audit?flag=ai", key: admin).body["entries"]?.arrayValue?.first {
                        $0["action"] == "rule.trip"
                    })
                #expect(trip["after"]?["measurement"]?["samples"] == 30)
                #expect(!other.holdsTheRole)
            }
        }
    }

    /// After an unkill, only events from that millisecond on count, whichever replica took them: the
    /// samples that tripped the rule do not trip it again, fresh failures through the other replica do.
    @Test func afterAnUnkillOnlyLaterEventsCountWhicheverReplicaTookThem() async throws {
        try await TestPostgres.withDatabase { url in
            let clock = TestClock(TestClock.fixedStart)
            try await Self.withTwo(url: url, clock: clock) { holder, other, admin, sdk in
                #expect(try await holder.client.call(.POST, "/api/v1/flags", key: admin, json: TestServer.ai).status == 201)
                #expect(
                    try await holder.client.call(.PUT, "/api/v1/flags/ai/rules", key: admin, json: ["errorRate > 0.05 over 15m minSamples 20"]).status
                        == 200)
                var traffic = Traffic(at: clock.now)
                let bad = (0..<30).flatMap { traffic.use("a-\($0)", "on", error: $0 % 5 != 0) }
                #expect(try await other.client.post("/api/v1/events", key: sdk, json: Traffic.batch("bad", bad)) == 200)
                #expect(try await eventually { try await Self.audit(holder, admin).contains("rule.trip") })

                // Unkilled a second later, in the same minute: the old samples must not trip it again. A rule
                // round re-arms at the instant it started, so let the rounds that began before the clock
                // moved end first (on a real clock that instant is after the trip anyway).
                clock.advance(by: .seconds(1))
                try await Task.sleep(for: .seconds(1))
                #expect(try await other.client.call(.POST, "/api/v1/flags/ai/unkill", key: admin, json: ["reason": "fixed"]).status == 200)
                #expect(try await eventually { try await Self.audit(other, admin).contains("rule.rearm") })
                try await Task.sleep(for: .milliseconds(500))
                let afterUnkill = try await Self.audit(other, admin)
                #expect(afterUnkill.filter { $0 == "flag.kill" }.count == 1, "no re-trip on old samples: \(afterUnkill)")

                // Fresh failures through the replica without the role, still in the same minute.
                clock.advance(by: .seconds(1))
                traffic.at = clock.now
                let fresh = (0..<30).flatMap { traffic.use("b-\($0)", "on", error: $0 % 5 != 0) }
                #expect(try await other.client.post("/api/v1/events", key: sdk, json: Traffic.batch("fresh", fresh)) == 200)
                #expect(try await eventually { try await Self.audit(other, admin).filter { $0 == "flag.kill" }.count == 2 })
                let trips = try await other.client.call(.GET, "/api/v1/audit?flag=ai", key: admin).body["entries"]?.arrayValue?.filter {
                    $0["action"] == "rule.trip"
                }
                #expect(trips?.first?["after"]?["measurement"]?["samples"] == 30, "the newest trip counts the fresh samples only")
            }
        }
    }

    /// A rollout started through the replica without the role is run by the holder; when the holder
    /// stops, the other replica takes the role over and advances the rollout on units counted by both.
    @Test func aRolloutContinuesOnTheFleetsUnitsWhenTheHolderStops() async throws {
        try await TestPostgres.withDatabase { url in
            let clock = TestClock(TestClock.fixedStart)
            let (stop, stopHolder) = AsyncStream<Void>.makeStream()
            let (holders, holderStarted) = AsyncStream<Running>.makeStream()
            let (admin, sdk) = try await PostgresFlagStore.withStore(url: url, logger: LogCapture().logger) { store in
                (
                    try await store.createAPIKey(APIKeyRequest(kind: .admin, environment: nil, name: "admin"), by: .system).secret,
                    try await store.createAPIKey(APIKeyRequest(kind: .sdk, environment: "production", name: "web"), by: .system).secret
                )
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // A holder that fails to start ends the wait for it below.
                    defer { holderStarted.finish() }
                    try await Self.run(url: url, clock: clock) { holder in
                        holderStarted.yield(holder)
                        for await _ in stop {}
                    }
                }
                var iterator = holders.makeAsyncIterator()
                let holder = try #require(await iterator.next())
                #expect(await eventually(timeout: .seconds(60)) { holder.holdsTheRole })
                try await Self.run(url: url, clock: clock) { other in
                    #expect(try await other.client.call(.POST, "/api/v1/flags", key: admin, json: TestServer.ai).status == 201)
                    let started = try await other.client.call(.POST, "/api/v1/flags/ai/rollout", key: admin, json: RolloutTests.plan)
                    #expect(started.status == 201)
                    // The holder follows the rollout started elsewhere at once.
                    #expect(
                        try await eventually {
                            try await holder.client.call(.GET, "/api/v1/flags/ai/rollout", key: admin).body["state"]?["phase"] == "running"
                        })

                    // 30 units per arm through each replica: only together do they reach the stage's 50.
                    var traffic = Traffic(at: clock.now)
                    for (name, replica) in [("a", holder), ("b", other)] {
                        let events = (0..<300).flatMap { traffic.use("\(name)-\($0)", $0 < 30 ? "on" : "off") }
                        #expect(try await replica.client.post("/api/v1/events", key: sdk, json: Traffic.batch("stage-1-\(name)", events)) == 200)
                    }
                    stopHolder.finish()
                    #expect(await eventually(timeout: .seconds(30)) { other.holdsTheRole })
                    clock.advance(by: .seconds(3601))
                    #expect(
                        try await eventually(timeout: .seconds(20)) {
                            try await other.client.call(.GET, "/api/v1/flags/ai/rollout", key: admin).body["state"]?["stage"] == 1
                        })
                    let actions = try await Self.audit(other, admin)
                    #expect(actions.filter { $0 == "rollout.advanced" }.count == 1)
                    #expect(actions.filter { $0 == "rollout.started" }.count == 1)
                }
            }
        }
    }
}
