import Hummingbird
import HummingbirdTesting
import SwitchyardCore
import SwitchyardTestSupport
import Synchronization
import Testing

/// A tiny webhook receiver: a Hummingbird app on another loopback port that keeps what it is sent.
final class WebhookInbox: Sendable {
    private let received = Mutex<[JSONValue]>([])

    var alerts: [JSONValue] { received.withLock { $0 } }

    func application() -> some ApplicationProtocol {
        let router = Router()
        router.post("hook") { request, context -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            let alert = try JSONValue(parsing: String(buffer: body))
            self.received.withLock { $0.append(alert) }
            return .ok
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

@Suite struct KillRuleEndToEndTests {
    @Test func eventsOverHTTPTripARuleAndTheKillStreamsAuditsAndAlerts() async throws {
        let inbox = WebhookInbox()
        try await inbox.application().testLive { hooks in
            let hookURL = "http://127.0.0.1:\(try #require(hooks.port))/hook"
            // The first webhook refuses connections: it must not hold up the kill or the second one.
            let test = try await TestServer.guarded(webhooks: ["http://127.0.0.1:1/hook", hookURL])
            try await test.application().testLive { client in
                try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
                try await client.send(.put, "/api/v1/flags/ai/rules", key: test.admin, json: ["errorRate > 0.05 over 15m minSamples 20"])
                var streams: [SSEClient] = []
                for index in 0..<2 {
                    let stream = try await SSEClient(port: try #require(client.port), path: "/api/v1/sdk/stream?client=e2e-\(index)", key: test.sdk)
                    let opening = try #require(try await stream.next())
                    #expect(try JSONValue(parsing: opening.data)["document"]?["flags"]?["ai"]?["targeting"] != nil)
                    streams.append(stream)
                }

                var traffic = Traffic(at: test.clock.now)
                let events = (0..<25).flatMap { traffic.use("u-\($0)", "on", error: $0 % 5 != 0) }
                let posted = try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("bad-outputs", events))
                #expect(try posted.json["accepted"] == 50)

                for stream in streams {
                    let change = try #require(try await stream.next())
                    #expect(change.event == "change")
                    let served = try JSONValue(parsing: change.data)["served"]
                    #expect(served?["defaultVariant"] == "off")
                    #expect(served?["targeting"] == nil)
                }

                let entries = try await client.send(.get, "/api/v1/audit?flag=ai", key: test.admin).json["entries"]?.arrayValue ?? []
                let kill = try #require(entries.first { $0["action"] == "flag.kill" })
                #expect(kill["author"]?["id"] == "guardrails")
                let reason = try #require(kill["reason"]?.stringValue)
                #expect(reason.contains("errorRate > 0.05 over 15m minSamples 20"))
                #expect(reason.contains("observed 0.8"))
                #expect(reason.contains("25 samples"))
                #expect(
                    try await eventually {
                        try await client.send(.get, "/api/v1/audit?flag=ai", key: test.admin).json["entries"]?.arrayValue?.contains {
                            $0["action"] == "rule.trip"
                        } == true
                    })
                let trip = try #require(
                    try await client.send(.get, "/api/v1/audit?flag=ai", key: test.admin).json["entries"]?.arrayValue?.first {
                        $0["action"] == "rule.trip"
                    })
                #expect(trip["after"]?["measurement"]?["samples"] == 25)
                #expect(trip["after"]?["measurement"]?["method"] == "wilson")
                #expect((trip["after"]?["measurement"]?["bound"]?.numberValue ?? 0) > 0.05)
                #expect(test.logs.text.contains("kill rule tripped"))

                #expect(await eventually { !inbox.alerts.isEmpty })
                let alert = try #require(inbox.alerts.first)
                #expect(alert["event"] == "killRule.tripped")
                #expect(alert["killed"] == true)
                #expect(alert["trip"]?["rule"] == "errorRate > 0.05 over 15m minSamples 20")
                #expect(alert["trip"]?["measurement"]?["samples"] == 25)
            }
        }
    }
}
