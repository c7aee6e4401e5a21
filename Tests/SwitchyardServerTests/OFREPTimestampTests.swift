import Foundation
import HummingbirdTesting
import SwitchyardCore
import SwitchyardServer
import SwitchyardTestSupport
import Testing

@Suite struct OFREPTimestampTests {
    /// `$flagd.timestamp` is the server's injected clock, so moving the clock moves a time-gated flag.
    @Test func aTimeGatedFlagFollowsTheServersClock() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_772_366_400))
        let test = try await TestServer(clock: clock)
        let launch: JSONValue = [
            "state": "ENABLED",
            "variants": ["on": true, "off": false],
            "defaultVariant": "off",
            "targeting": ["if": [[">=": [["var": "$flagd.timestamp"], 1_772_370_000]], "on", "off"]],
        ]
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("launch", launch))
            let before = try await client.send(.post, "/ofrep/v1/evaluate/flags/launch", key: test.sdk)
            #expect(try before.json["variant"] == "off")
            clock.advance(by: 3600)
            let after = try await client.send(.post, "/ofrep/v1/evaluate/flags/launch", key: test.sdk)
            #expect(try after.json["variant"] == "on")
        }
    }
}
