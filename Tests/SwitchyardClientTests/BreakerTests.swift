import Foundation
import SwitchyardGuard
import SwitchyardTestSupport
import Testing

@testable import SwitchyardClient

@Suite("Local circuit breaker")
struct BreakerTests {
    static let bootstrap = #"""
        {"flags": {"ai-summary": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on", "safeVariant": "off"}}}
        """#

    @Test("a tripped rule serves the safe variant with the server unreachable, reports the trip, and resets")
    func tripsWithoutServer() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bootstrap = directory.appendingPathComponent("bootstrap.json").path
        try Self.bootstrap.write(toFile: bootstrap, atomically: true, encoding: .utf8)
        let server = try await LiveServer()
        try await server.reservePort()
        let logs = LogCapture()
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: logs, bootstrapFile: bootstrap))
        let flagsRun = await flags.start()
        flags.attachBreaker(try KillRule(parsing: "errorRate > 0.5 over 5m minSamples 20"), flag: "ai-summary", variant: "on")
        let user = EvaluationContext.user("u-9")
        #expect(flags.bool("ai-summary", default: false, context: user) == true)

        for _ in 0..<10 {
            flags.trackOutput(
                flag: "ai-summary", context: user, variant: "on", model: "m", output: "", latency: .seconds(1), finishReason: .error, error: "timeout"
            )
        }
        #expect(await eventually { flags.breakerEventsChecked.load(ordering: .relaxed) >= 10 }, "the breaker evaluated the ten outputs")
        #expect(flags.bool("ai-summary", default: false, context: user) == true, "fewer than minSamples outputs must not trip")

        for _ in 0..<30 {
            flags.trackOutput(
                flag: "ai-summary", context: user, variant: "on", model: "m", output: "", latency: .seconds(1), finishReason: .error, error: "timeout"
            )
        }
        #expect(await eventually { flags.bool("ai-summary", default: true, context: user) == false })
        #expect(flags.trippedBreakers == ["ai-summary"])
        #expect(flags.boolDetails("ai-summary", default: true, context: user).variant == "off")
        #expect(logs.contains(.warning, "local breaker tripped"))

        flags.resetBreaker(flag: "ai-summary")
        #expect(flags.bool("ai-summary", default: false, context: user) == true)
        #expect(flags.trippedBreakers.isEmpty)

        try await server.start()
        await flagsRun.stop()
        let trips = server.events.compactMap { event -> BreakerTripEvent? in
            if case .breakerTrip(let trip) = event { return trip }
            return nil
        }
        #expect(trips.count == 1)
        #expect(trips.first?.flag == "ai-summary")
        #expect(trips.first?.variant == "on")
        #expect(trips.first?.rule == "errorRate > 0.5 over 5m minSamples 20")
        await server.stop()
    }

    @Test("a local kill survives a new document from the server")
    func killSurvivesUpdate() async throws {
        let server = try await LiveServer()
        try await server.start()
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: LogCapture()))
        let flagsRun = await flags.start()
        flags.attachBreaker(try KillRule(parsing: "errorRate > 0.5 over 5m minSamples 20"), flag: "ai-summary", variant: "on")
        for _ in 0..<40 {
            flags.trackOutput(flag: "ai-summary", context: .pro, variant: "on", model: "m", output: "", latency: .zero, finishReason: .error)
        }
        #expect(await eventually { flags.bool("ai-summary", default: true, context: .pro) == false })

        try await server.update("model", ["state": "ENABLED", "variants": ["a": "model-a", "b": "model-b"], "defaultVariant": "b"])
        #expect(await eventually { flags.string("model", default: "none") == "model-b" })
        #expect(flags.bool("ai-summary", default: true, context: .pro) == false)
        await flagsRun.stop()
        await server.stop()
    }
}
