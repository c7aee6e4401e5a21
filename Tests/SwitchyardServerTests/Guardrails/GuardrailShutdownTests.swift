import Logging
import ServiceLifecycle
import SwitchyardCore
import SwitchyardTestSupport
import Testing

@Suite struct GuardrailShutdownTests {
    @Test func gracefulShutdownStopsTheGuardrailServicesWhileTheyWork() async throws {
        let test = try await TestServer.guarded(webhooks: ["http://127.0.0.1:1/hook"])
        let (ports, portSource) = AsyncStream<Int>.makeStream()
        let application = test.server.makeApplication { port in portSource.yield(port) }
        let group = ServiceGroup(services: [application], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { portSource.finish() }
                try await group.run()
            }
            var portIterator = ports.makeAsyncIterator()
            let port = try #require(await portIterator.next())
            let client = HTTPTestClient(port: port)
            try await client.post("/api/v1/flags", key: test.admin, json: TestServer.ai)
            try await client.put("/api/v1/flags/ai/rules", key: test.admin, json: ["errorRate > 0.05 over 15m minSamples 20"])
            try await client.post("/api/v1/flags/ai/rollout", key: test.admin, json: RolloutTests.plan)
            var traffic = Traffic(at: test.clock.now)
            let events = (0..<30).flatMap { traffic.use("u-\($0)", "on", error: true) }
            try await client.post("/api/v1/events", key: test.sdk, json: Traffic.batch("failing", events))
            #expect(await eventually { test.logs.text.contains("kill rule tripped") })

            // The trip's alert is still being delivered to a webhook that refuses connections
            // (each attempt lasts until its 10 s timeout): shutdown ends that delivery too.
            await group.triggerGracefulShutdown()
            try await tasks.next()
            #expect(!test.logs.text.contains("webhook gave up"))
            #expect(!test.logs.text.contains("webhook delivered"))
        }
    }
}
