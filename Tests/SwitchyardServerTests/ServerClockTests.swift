import Foundation
import HummingbirdTesting
import SwitchyardCore
import SwitchyardGuard
import SwitchyardTestSupport
import Testing

/// The server and its store read one clock: what they record and what they report follow it.
@Suite struct ServerClockTests {
    @Test func auditTimesAndTheStaleFlagsFollowTheInjectedClock() async throws {
        let test = try await TestServer(clock: TestClock(TestClock.fixedStart))
        try await test.application().test(.router) { client in
            let created = try await client.send(
                .post, "/api/v1/flags", key: test.admin,
                json: TestServer.creation("summary", ["state": "ENABLED", "variants": ["on": true], "defaultVariant": "on"]))
            #expect(created.status == .created)
            let audit = try await client.send(.get, "/api/v1/audit?flag=summary", key: test.admin).json
            #expect(audit["entries"]?.arrayValue?.first?["at"] == "2025-11-24T16:00:00Z", "the audit entry is dated by the injected clock")
            let stale = "/api/v1/flags/stale?days=30"
            #expect(try await client.send(.get, stale, key: test.admin).json["flags"] == [], "a flag created just now is not stale")
            test.clock.advance(by: .seconds(31 * 86_400))
            let keys = try await client.send(.get, stale, key: test.admin).json["flags"]?.arrayValue?.compactMap { $0["key"]?.stringValue }
            #expect(keys == ["summary"], "31 days later on the injected clock it is")
        }
    }
}
