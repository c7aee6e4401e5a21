import Foundation
import SwitchyardClient
import SwitchyardTestSupport
import Testing

@Suite("Sync with a live server")
struct SyncTests {
    @Test("server down at start: code defaults, then the live document once it comes up")
    func serverDownAtStart() async throws {
        let server = try await LiveServer()
        try await server.reservePort()
        let logs = LogCapture()
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: logs))
        let flagsRun = await flags.start()

        #expect(flags.state == .offline)
        let before = flags.boolDetails("ai-summary", default: false, context: .pro)
        #expect(before.value == false)
        #expect(before.errorCode == .flagNotFound)

        try await server.start()
        #expect(await eventually { flags.state == .ready })
        #expect(flags.bool("ai-summary", default: false, context: .pro) == true)
        #expect(flags.string("model", default: "none") == "model-a")
        await flagsRun.stop()
        await server.stop()
    }

    @Test("a change in the server reaches evaluations, and the receipt reaches the server")
    func changeReachesClient() async throws {
        let server = try await LiveServer()
        try await server.start()
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: LogCapture()))
        let flagsRun = await flags.start()
        #expect(await eventually { flags.state == .ready })
        #expect(flags.string("model", default: "none") == "model-a")
        let version = try #require(flags.version)

        try await server.update("model", ["state": "ENABLED", "variants": ["a": "model-a", "b": "model-b"], "defaultVariant": "b"])
        #expect(await eventually { flags.string("model", default: "none") == "model-b" })
        #expect(try #require(flags.version) > version)
        let details = flags.stringDetails("model", default: "none")
        #expect(details.variant == "b")
        #expect(details.reason == .static)

        let propagated = await eventually {
            let answer = try? await server.adminRequest(.GET, "/api/v1/flags/model/propagation")
            return answer?.body?["applied"] == 1 && answer?.body?["behind"] == 0
        }
        #expect(propagated)
        await flagsRun.stop()
        await server.stop()
    }

    @Test("a kill reaches the client with its marker: reason DISABLED, isKilled and the reason")
    func killMarkerReachesDetails() async throws {
        let server = try await LiveServer()
        try await server.start()
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: LogCapture()))
        let flagsRun = await flags.start()
        #expect(await eventually { flags.state == .ready })
        #expect(flags.boolDetails("ai-summary", default: false, context: .pro).isKilled == false)

        try await server.adminRequest(.POST, "/api/v1/flags/ai-summary/kill", json: ["reason": "rude summaries"])
        #expect(await eventually { flags.boolDetails("ai-summary", default: true, context: .pro).isKilled })
        let details = flags.boolDetails("ai-summary", default: true, context: .pro)
        #expect(details.reason == .disabled)
        #expect(details.killReason == "rude summaries")
        #expect(details.metadata["killedAt"]?.stringValue != nil)
        await flagsRun.stop()
        await server.stop()
    }

    @Test("server stopped mid-stream: the last known good document keeps serving, and reconnecting resumes")
    func serverStoppedMidStream() async throws {
        let server = try await LiveServer()
        try await server.start()
        let logs = LogCapture()
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: logs))
        let flagsRun = await flags.start()
        #expect(await eventually { flags.state == .ready })
        // The first document came from the first fetch, or (when that took longer than the start
        // timeout) from the stream; either way, no later stream may send it whole again.
        let wholeDocumentsAtStart = logs.count(.debug, "the stream sent the whole flag document")

        await server.stop()
        #expect(await eventually { flags.state == .stale })
        #expect(flags.bool("ai-summary", default: false, context: .pro) == true)
        #expect(flags.bool("ai-summary", default: true, context: .free) == false)

        // A change made while the client is disconnected arrives when it reconnects.
        _ = try await server.store.apply(
            .updateFlag(
                key: "model", definition: ["state": "ENABLED", "variants": ["a": "model-a", "b": "model-b"], "defaultVariant": "b"],
                expectedVersion: nil),
            to: "production", by: .system, reason: nil)
        try await server.start()
        #expect(await eventually { flags.state == .ready && flags.string("model", default: "none") == "model-b" })

        // And the stream is live again.
        try await server.update("model", ["state": "ENABLED", "variants": ["a": "model-a", "b": "model-b"], "defaultVariant": "a"])
        #expect(await eventually { flags.string("model", default: "none") == "model-a" })

        // Every stream resumed from Last-Event-ID: the changes were replayed, never the whole document.
        #expect(logs.contains(.debug, "the stream sent a flag change"))
        #expect(logs.count(.debug, "the stream sent the whole flag document") == wholeDocumentsAtStart)
        await flagsRun.stop()
        await server.stop()
    }

    @Test("polling with ETags when streaming is off")
    func polling() async throws {
        let server = try await LiveServer()
        try await server.start()
        var options = SwitchyardClient.Options.fast(logs: LogCapture())
        options.streaming = false
        options.pollInterval = .milliseconds(50)
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: options)
        let flagsRun = await flags.start()
        #expect(await eventually { flags.state == .ready })
        #expect(flags.string("model", default: "none") == "model-a")

        try await server.update("model", ["state": "ENABLED", "variants": ["a": "model-a", "b": "model-b"], "defaultVariant": "b"])
        #expect(await eventually { flags.string("model", default: "none") == "model-b" })
        #expect(flags.state == .ready)
        await flagsRun.stop()
        await server.stop()
    }

    @Test("unknown flags and wrong types serve the code default with an error code")
    func unknownFlag() async throws {
        let server = try await LiveServer()
        try await server.start()
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: LogCapture()))
        let flagsRun = await flags.start()
        #expect(await eventually { flags.state == .ready })
        let missing = flags.intDetails("no-such-flag", default: 7)
        #expect(missing.value == 7)
        #expect(missing.reason == .error)
        #expect(missing.errorCode == .flagNotFound)
        let mismatch = flags.doubleDetails("model", default: 0.5)
        #expect(mismatch.value == 0.5)
        #expect(mismatch.errorCode == .typeMismatch)
        #expect(flags.object("model", default: ["x": 1]) == ["x": 1])
        await flagsRun.stop()
        await server.stop()
    }
}
