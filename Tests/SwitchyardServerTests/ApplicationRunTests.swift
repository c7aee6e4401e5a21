import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchyardCore
import SwitchyardTestSupport
import Testing

@Suite struct ApplicationRunTests {
    /// One server object, two application runs one after the other (as a process that restarts its
    /// listener would do): the second run serves, and its guardrails still deliver webhooks.
    @Test func aServerRunsItsApplicationTwiceInARow() async throws {
        let inbox = WebhookInbox()
        try await inbox.application().testLive { hooks in
            let test = try await TestServer.guarded(webhooks: ["http://127.0.0.1:\(try #require(hooks.port))/hook"])
            try await test.application().testLive { client in
                #expect(try await client.send(.get, "/healthz", key: nil).status == .ok)
                try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            }
            try await test.application().testLive { client in
                try await client.send(.put, "/api/v1/flags/ai/rules", key: test.admin, json: ["errorRate > 0.05 over 15m minSamples 20"])
                var traffic = Traffic(at: test.clock.now)
                let events = (0..<25).flatMap { traffic.use("u-\($0)", "on", error: true) }
                #expect(try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("second-run", events)).status == .ok)
                #expect(await eventually { inbox.alerts.contains { $0["event"] == "killRule.tripped" } })
                #expect(try await client.send(.get, "/healthz", key: nil).status == .ok)
            }
        }
    }

    /// An application whose start fails (here its `beforeServerStarts` work throws, as a server
    /// whose store cannot load does) fails a live test instead of holding the whole run.
    @Test func aLiveTestOfAnApplicationThatNeverListensFails() async throws {
        struct CannotLoad: Error {}
        var application = Application(router: Router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        application.beforeServerStarts { throw CannotLoad() }
        let started = ContinuousClock.now
        await #expect(throws: ApplicationDidNotStart.self) {
            try await application.testLive(startingWithin: .seconds(2)) { _ in }
        }
        #expect(ContinuousClock.now - started < .seconds(60), "well before any watchdog")
    }
}
