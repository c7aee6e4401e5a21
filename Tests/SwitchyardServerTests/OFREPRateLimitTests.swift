import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchyardCore
import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport
import Testing

@Suite struct OFREPRateLimitTests {
    /// 2026-03-01 12:00:00.250 UTC: a quarter past a whole second, so rounding shows.
    static let start = Date(timeIntervalSince1970: 1_772_366_400.25)

    /// An IMF-fixdate (`Sun, 01 Mar 2026 12:00:01 GMT`), parsed independently of the server's formatter.
    static func httpDate(_ text: String?) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return text.flatMap(formatter.date(from:))
    }

    @Test func beyondTheLimitEvaluationsGet429UntilRetryAfter() async throws {
        let clock = TestClock(Self.start)
        let test = try await TestServer(ofrepRateLimit: 3, clock: clock)
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.creation("summary"))
            for _ in 0..<3 {
                #expect(try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk).status == .ok)
            }

            let refused = try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk, headers: [.origin: "https://app.example"])
            #expect(refused.status == .tooManyRequests)
            let retryAt = try #require(Self.httpDate(refused.headers[.retryAfter]))
            // A token comes back after a third of a second; the date rounds up to the next whole second.
            #expect(retryAt == Date(timeIntervalSince1970: 1_772_366_401))
            #expect(refused.headers[HTTPField.Name("Access-Control-Expose-Headers")!]?.contains("Retry-After") == true)
            let body = try refused.json
            #expect(body["key"] == "summary")
            #expect(body["errorCode"] == "GENERAL")
            #expect(body["errorDetails"]?.stringValue?.hasPrefix("rate limit exceeded") == true)

            // Bulk shares the key's bucket and says how long to wait in whole seconds.
            let bulk = try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk)
            #expect(bulk.status == .tooManyRequests)
            #expect(bulk.headers[.retryAfter] == "1")
            #expect(try bulk.json["errorCode"] == "GENERAL")
            #expect(try bulk.json["key"] == nil)

            clock.advance(to: retryAt)
            #expect(try await client.send(.post, "/ofrep/v1/evaluate/flags/summary", key: test.sdk).status == .ok)
            clock.advance(by: 1)
            #expect(try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk).status == .ok)

            let metrics = String(buffer: try await client.send(.get, "/metrics", key: nil).body)
            let keyID = try #require(try await test.store.apiKeys().first { $0.kind == .sdk }?.id)
            #expect(metrics.contains("switchyard_ofrep_rate_limited_total{key=\"\(keyID)\"} 2"))
            #expect(metrics.contains("route=\"/ofrep/v1/evaluate/flags/{key}\",status=\"429\""))
        }
    }

    @Test func aBurstRefillsAtTheRateAndNeverBeyondIt() async throws {
        let clock = TestClock(Self.start)
        let test = try await TestServer(ofrepRateLimit: 2, clock: clock)
        try await test.application().test(.router) { client in
            func statuses(_ count: Int) async throws -> [HTTPResponse.Status] {
                var statuses: [HTTPResponse.Status] = []
                for _ in 0..<count {
                    statuses.append(try await client.send(.post, "/ofrep/v1/evaluate/flags/missing", key: test.sdk).status)
                }
                return statuses
            }
            let burst = try await statuses(3)
            #expect(burst == [.notFound, .notFound, .tooManyRequests])
            clock.advance(by: 0.5)
            let halfASecondLater = try await statuses(2)
            #expect(halfASecondLater == [.notFound, .tooManyRequests])
            // An idle minute fills the bucket to its burst, not to 120.
            clock.advance(by: 60)
            let aMinuteLater = try await statuses(3)
            #expect(aMinuteLater == [.notFound, .notFound, .tooManyRequests])
        }
    }

    @Test func anotherSDKKeyIsNotAffected() async throws {
        let test = try await TestServer(ofrepRateLimit: 1, clock: TestClock(Self.start))
        let other = try await test.store.createAPIKey(APIKeyRequest(kind: .sdk, environment: "production", name: "mobile"), by: .system).secret
        try await test.application().test(.router) { client in
            var statuses: [HTTPResponse.Status] = []
            for key in [test.sdk, test.sdk, other, other] {
                statuses.append(try await client.send(.post, "/ofrep/v1/evaluate/flags", key: key).status)
            }
            #expect(statuses == [.ok, .tooManyRequests, .ok, .tooManyRequests])
        }
    }

    @Test func withoutALimitNothingIsLimited() async throws {
        let test = try await TestServer(clock: TestClock(Self.start))
        try await test.application().test(.router) { client in
            for _ in 0..<200 {
                #expect(try await client.send(.post, "/ofrep/v1/evaluate/flags/missing", key: test.sdk).status == .notFound)
            }
            #expect(try await client.send(.post, "/ofrep/v1/evaluate/flags", key: test.sdk).status == .ok)
            let metrics = String(buffer: try await client.send(.get, "/metrics", key: nil).body)
            #expect(!metrics.contains("switchyard_ofrep_rate_limited_total{"))
        }
    }
}
