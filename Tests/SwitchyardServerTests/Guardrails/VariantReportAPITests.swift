import HummingbirdTesting
import SwitchyardCore
import SwitchyardTestSupport
import Testing

@Suite struct VariantReportAPITests {
    @Test func theReportComparesVariantsAsJSONOrAsATable() async throws {
        let test = try await TestServer.guarded()
        try await test.application().test(.router) { client in
            try await client.send(.post, "/api/v1/flags", key: test.admin, json: TestServer.ai)
            var traffic = Traffic(at: test.clock.now)
            var events: [JSONValue] = []
            for unit in 0..<400 {
                let treated = unit % 10 == 0
                events += traffic.use("u-\(unit)", treated ? "on" : "off", error: treated && unit % 20 == 0)
            }
            try await client.send(.post, "/api/v1/events", key: test.sdk, json: Traffic.batch("traffic", events))

            let report = try await client.send(.get, "/api/v1/flags/ai/report", key: test.admin).json
            #expect(report["control"] == "off")
            #expect(report["arms"]?.arrayValue?.map { $0["units"] } == [360, 40])
            // The flag's 10/90 fractional split is the configured split of the sample ratio check.
            #expect(report["sampleRatio"]?["healthy"] == true)

            let table = try await client.send(.get, "/api/v1/flags/ai/report?format=table", key: test.admin)
            #expect(table.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: table.body)
            #expect(text.contains("on vs off"))
            #expect(text.contains("errorRate"))

            let missing = try await client.send(.get, "/api/v1/flags/nope/report", key: test.admin)
            #expect(missing.status == .notFound)
        }
    }
}
