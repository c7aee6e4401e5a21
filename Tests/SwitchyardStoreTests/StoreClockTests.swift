import Foundation
import SwitchyardCore
import SwitchyardGuard
import SwitchyardStore
import SwitchyardTestSupport
import Testing

/// Every time a store records is read from the clock it was given, not the system's.
@Suite struct StoreClockTests {
    let admin = Author(id: "key_test", name: "tester")

    @Test(arguments: StoreBackend.configured) func recordedTimesFollowTheStoresClock(_ backend: StoreBackend) async throws {
        let clock = TestClock(TestClock.fixedStart)
        let start = Date(timeIntervalSince1970: Double(TestClock.fixedStart.millisecondsSinceEpoch) / 1000)
        try await backend.withStore(clock: clock.wallClock) { tested in
            let store = tested.store
            #expect(try await store.environments().map(\.createdAt) == [start], "production is created on the store's clock")
            clock.advance(by: .seconds(60))
            let later = start.addingTimeInterval(60)
            let staging = try await store.createEnvironment(named: "staging", by: admin)
            let key = try await store.createAPIKey(APIKeyRequest(kind: .sdk, environment: "staging", name: "web"), by: admin)
            let change = try await store.apply(.createFlag(key: "summary", definition: FlagStoreTests.summary), to: "staging", by: admin, reason: nil)
            _ = try await store.replaceKillRules(of: "summary", in: "staging", with: ["errorRate > 0.5 over 5m"], armedAt: 0, by: admin)
            #expect(staging.createdAt == later)
            #expect(key.key.createdAt == later)
            #expect(change.at == later)
            let audit = try await store.auditEntries(in: "staging", flag: nil, limit: 10)
            #expect(Set(audit.map(\.action)) == ["environment.create", "key.create", "flag.create", "rules.put"])
            #expect(audit.allSatisfy { $0.at == later }, "every audit entry is on the store's clock: \(audit.map(\.at))")
        }
    }
}
