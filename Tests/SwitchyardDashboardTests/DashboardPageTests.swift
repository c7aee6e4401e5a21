import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SwitchyardCore
import SwitchyardDashboard
import SwitchyardGuard
@testable import SwitchyardServer
import SwitchyardTestSupport
import Testing

@Suite(.timeLimit(.minutes(1))) struct DashboardPageTests {
    @Test func theFlagsPageShowsEveryFlagWithItsState() async throws {
        let test = try await TestServer.dashboard()
        try await test.withSeededSession { client, browser in
            let plain: JSONValue = [
                "key": "checkout-v2", "state": "DISABLED", "variants": ["a": "x", "b": "y"], "defaultVariant": "a", "metadata": ["permanent": true],
            ]
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: plain)
            try await client.send(.post, "/api/v1/flags/ai-summary/kill", key: test.admin, json: ["reason": "outputs are <b>garbled</b>"])
            let page = try await browser.get(client, "/ui/flags?env=production")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            let html = page.text
            #expect(html.contains(#"<a href="/ui/flags/ai-summary?env=production">ai-summary</a>"#))
            #expect(html.contains("KILLED"))
            #expect(html.contains("outputs are &lt;b&gt;garbled&lt;/b&gt;"), "user text is escaped")
            #expect(!html.contains("<b>garbled</b>"))
            #expect(html.contains("by ops-admin (\(test.adminID))"))
            #expect(html.contains("checkout-v2"))
            #expect(html.contains("DISABLED"))
            #expect(html.contains(">permanent<"))
            #expect(html.contains(#"<td data-label="Type">string</td>"#) && html.contains(#"<td data-label="Type">boolean</td>"#))

            let killed = try await browser.get(client, "/ui/flags?env=production&filter=killed").text
            #expect(killed.contains("ai-summary") && !killed.contains("checkout-v2"))
            let searched = try await browser.get(client, "/ui/flags?env=production&q=checkout").text
            #expect(searched.contains("checkout-v2") && !searched.contains(#"data-flag="ai-summary""#))
            let unknown = try await browser.get(client, "/ui/flags?env=staging")
            #expect(unknown.status == .notFound)
            #expect(unknown.text.contains("There is no environment staging"))
        }
    }

    @Test func theFlagPageShowsVariantsTargetingWithSegmentsAndHistory() async throws {
        let test = try await TestServer.dashboard()
        try await test.withSeededSession { client, browser in
            let page = try await browser.get(client, "/ui/flags/ai-summary?env=production")
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("if in segment internal-users → &quot;on&quot;") || html.contains("if in segment internal-users → \"on\""))
            #expect(html.contains("split: on 5 %, off 95 %"))
            #expect(html.contains(#"<a href="/ui/segments?env=production#segment-internal-users">internal-users</a>"#))
            #expect(html.contains("safe (served when killed)"))
            #expect(html.contains("Kill ai-summary"))
            #expect(html.contains("flag.create"), "the history lists the creation")
            #expect(html.contains("Kill rules"), "guardrails are shown")
        }
    }

    @Test func aKillThroughTheFormChangesTheFlagAndIsAuditedWithTheSignedInKey() async throws {
        let test = try await TestServer.dashboard()
        try await test.withSeededSession { client, browser in
            let csrf = try await browser.csrf(client, on: "/ui/flags/ai-summary?env=production")
            let unconfirmed = try await browser.post(client, "/ui/flags/ai-summary/kill?env=production", form: "csrf=\(csrf)&reason=bad")
            #expect(unconfirmed.status == .conflict)
            #expect(unconfirmed.text.contains("Tick the confirmation"))
            let noReason = try await browser.post(client, "/ui/flags/ai-summary/kill?env=production", form: "csrf=\(csrf)&reason=&confirm=yes")
            #expect(noReason.status == .conflict)
            #expect(try await client.send(.get, "/api/v1/flags/ai-summary", key: test.admin).json["kill"] == nil)

            let killed = try await browser.post(
                client, "/ui/flags/ai-summary/kill?env=production", form: "csrf=\(csrf)&reason=\(Browser.encode("summaries in French"))&confirm=yes")
            #expect(killed.status == .seeOther)
            #expect(killed.headers[.location] == "/ui/flags/ai-summary?env=production&notice=killed")
            let flag = try await client.send(.get, "/api/v1/flags/ai-summary", key: test.admin).json
            #expect(flag["kill"]?["reason"] == "summaries in French")
            #expect(flag["kill"]?["by"] == .string(test.adminID))
            let audit = try await client.send(.get, "/api/v1/audit?flag=ai-summary", key: test.admin).json
            let entry = try #require(audit["entries"]?.arrayValue?.first { $0["action"] == "flag.kill" })
            #expect(entry["author"]?["id"] == .string(test.adminID))
            #expect(entry["reason"] == "summaries in French")
            let page = try await browser.get(client, "/ui/flags/ai-summary?env=production&notice=killed").text
            #expect(page.contains("Killed. Every client now gets the safe variant."))
            #expect(page.contains("Unkill ai-summary"))
            let auditPage = try await browser.get(client, "/ui/audit?env=production").text
            #expect(auditPage.contains("flag.kill") && auditPage.contains("summaries in French"))

            let unkilled = try await browser.post(client, "/ui/flags/ai-summary/unkill?env=production", form: "csrf=\(csrf)&reason=fixed")
            #expect(unkilled.status == .seeOther)
            #expect(try await client.send(.get, "/api/v1/flags/ai-summary", key: test.admin).json["kill"] == nil)
        }
    }

    @Test func theEditorShowsProblemsAtTheirPathAndStoresNothingUntilValid() async throws {
        let test = try await TestServer.dashboard()
        try await test.withSeededSession { client, browser in
            let csrf = try await browser.csrf(client, on: "/ui/flags/ai-summary?env=production")
            let before = try await client.send(.get, "/api/v1/flags/ai-summary", key: test.admin).json["version"]
            let invalid = #"{"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "maybe"}"#
            let refused = try await browser.post(
                client, "/ui/flags/ai-summary/edit?env=production",
                form: "csrf=\(csrf)&version=\(before?.numberValue.map { Int($0) } ?? 0)&definition=\(Browser.encode(invalid))")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Nothing was stored"))
            #expect(refused.text.contains("defaultVariant"), "the problem names its path")
            #expect(refused.text.contains("maybe"), "the submitted text is kept in the editor")
            let broken = try await browser.post(
                client, "/ui/flags/ai-summary/edit?env=production", form: "csrf=\(csrf)&version=1&definition=\(Browser.encode("{\"state\": "))")
            #expect(broken.status == .unprocessableContent)
            #expect(broken.text.contains("line 1, column"))
            #expect(try await client.send(.get, "/api/v1/flags/ai-summary", key: test.admin).json["version"] == before)

            let valid = #"{"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off", "safeVariant": "off"}"#
            let saved = try await browser.post(
                client, "/ui/flags/ai-summary/edit?env=production",
                form: "csrf=\(csrf)&version=\(before?.numberValue.map { Int($0) } ?? 0)&definition=\(Browser.encode(valid))")
            #expect(saved.status == .seeOther)
            let after = try await client.send(.get, "/api/v1/flags/ai-summary", key: test.admin).json
            #expect(after["definition"]?["targeting"] == nil)
        }
    }

    @Test func theOtherPagesRender() async throws {
        let test = try await TestServer.dashboard()
        try await test.withSeededSession { client, browser in
            let segments = try await browser.get(client, "/ui/segments?env=production").text
            #expect(segments.contains(#"id="segment-internal-users""#) && segments.contains("ai-summary"))
            let environments = try await browser.get(client, "/ui/environments").text
            #expect(environments.contains("production"))
            let stale = try await browser.get(client, "/ui/stale?env=production&days=0")
            #expect(stale.status == .ok)
            let csrf = try await browser.csrf(client, on: "/ui/keys")
            let created = try await browser.post(client, "/ui/keys", form: "csrf=\(csrf)&name=mobile&kind=sdk&environment=production")
            #expect(created.status == .created)
            #expect(created.text.contains("it is shown only once"))
            let secret = try #require(
                created.text.range(of: #"readonly value=""#).map { String(created.text[$0.upperBound...].prefix { $0 != "\"" }) })
            #expect(try await client.send(.get, "/ofrep/v1/evaluate/flags", key: secret).status != .unauthorized, "the new key works")
            let keys = try await browser.get(client, "/ui/keys").text
            #expect(keys.contains("mobile") && !keys.contains(secret), "the secret is not shown again")
        }
    }

    @Test func theRolloutTimelineShowsAndPausesThroughTheForm() async throws {
        let test = try await TestServer.dashboard()
        try await test.withSeededSession { client, browser in
            let started = try await client.send(.post, "/api/v1/flags/ai-summary/rollout", key: test.admin)
            #expect(started.status == .created)
            let page = try await browser.get(client, "/ui/flags/ai-summary?env=production").text
            #expect(page.contains("<strong>running</strong>"))
            #expect(page.contains(#"aria-current="step""#), "the current stage is marked")
            let list = try await browser.get(client, "/ui/flags?env=production&filter=rollout").text
            #expect(list.contains("running · ") && list.contains("ai-summary"))
            let csrf = try await browser.csrf(client, on: "/ui/flags/ai-summary?env=production")
            let paused = try await browser.post(client, "/ui/flags/ai-summary/rollout/pause?env=production", form: "csrf=\(csrf)")
            #expect(paused.status == .seeOther)
            #expect(try await client.send(.get, "/api/v1/flags/ai-summary/rollout", key: test.admin).json["phase"] == "paused")
            #expect(try await browser.get(client, "/ui/flags/ai-summary?env=production").text.contains(">Resume<"))
        }
    }

    @Test func aDashboardPageIsNoClientOfTheFlags() async throws {
        let test = try await TestServer.dashboard()
        try await test.application().testLive { client in
            try await test.seed(client)
            let port = try #require(client.port)
            try await DashboardLiveTests.withClient { http in
                var (_, stream) = try await DashboardLiveTests.openLive(port: port, http: http, key: test.admin)
                try await client.send(.post, "/api/v1/flags/ai-summary/kill", key: test.admin, json: ["reason": "live"])
                let data = try #require(try await stream.nextData())
                #expect(try JSONValue(parsing: data)["flag"] == "ai-summary", "the page hears of the kill")
                let propagation = try await client.send(.get, "/api/v1/flags/ai-summary/propagation", key: test.admin).json
                #expect(propagation["connectedClients"] == 0, "the page is not counted as a client that is behind")
            }
        }
    }

    @Test func revokingTheKeyEndsItsOpenLiveStreams() async throws {
        let test = try await TestServer.dashboard()
        try await test.application().testLive { client in
            let port = try #require(client.port)
            let other = try await client.send(.post, "/api/v1/keys", key: test.admin, json: ["kind": "admin", "name": "second"])
            let second = try #require(try other.json["key"]?.stringValue)
            try await DashboardLiveTests.withClient { http in
                var (status, stream) = try await DashboardLiveTests.openLive(port: port, http: http, key: test.admin)
                #expect(status == 200)
                #expect(try await client.send(.delete, "/api/v1/keys/\(test.adminID)", key: second).status == .ok)
                #expect(try await stream.nextData() == nil, "the page's stream ends with its key")
            }
        }
    }

    @Test func theFlagPageChartsEachVariantAndShowsItsRules() async throws {
        let test = try await TestServer.dashboard()
        try await test.withSeededSession { client, browser in
            let empty = try await browser.get(client, "/ui/flags/ai-summary?env=production").text
            #expect(empty.contains("No output events in the last hour"))
            #expect(!empty.contains("<svg"))

            let rules = try await client.send(
                .put, "/api/v1/flags/ai-summary/rules", key: test.admin, json: ["errorRate > 0.25 over 15m minSamples 50"])
            #expect(rules.status == .ok)
            let now = test.clock.now.millisecondsSinceEpoch - 1_000
            var events: [JSONValue] = []
            for unit in 0..<40 {
                let variant = unit % 2 == 0 ? "on" : "off"
                let at = JSONValue.integer(now - Int64(unit % 10) * 60_000)
                events.append([
                    "type": "exposure", "flag": "ai-summary", "variant": .string(variant), "reason": "SPLIT", "unitKey": .string("u-\(unit)"),
                    "timestamp": at,
                ])
                events.append([
                    "type": "output", "outputId": .string("o-\(unit)"), "flag": "ai-summary", "variant": .string(variant),
                    "unitKey": .string("u-\(unit)"),
                    "timestamp": at, "model": "m", "chars": .integer(Int64(variant == "on" ? 1_500 : 900)), "words": 150, "latencyMs": 800,
                    "tokensIn": 100, "tokensOut": 200, "finishReason": "stop",
                ])
            }
            let posted = try await client.send(.post, "/api/v1/events", key: test.sdk, json: ["batchId": "b1", "events": .array(events)])
            #expect(posted.status == .ok, "\(posted.text)")
            let page = try await browser.get(client, "/ui/flags/ai-summary?env=production").text
            #expect(page.contains("<figcaption>Error rate</figcaption>"))
            #expect(page.contains("<figcaption>p95 output length (characters)</figcaption>"))
            #expect(page.contains("off (20 units, 20 outputs)") && page.contains("on (20 units, 20 outputs)"))
            #expect(page.contains("<polyline"), "minute points are drawn")
            #expect(page.contains("on: 1500") && page.contains("off: 900"), "each variant's mean output length")
            #expect(page.contains("<code>errorRate &gt; 0.25 over 15m minSamples 50</code>"))
            #expect(page.contains("of 50 needed"))
        }
    }
}
