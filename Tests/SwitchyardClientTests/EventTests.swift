import Foundation
import ServiceLifecycle
import SwitchyardClient
import SwitchyardGuard
import SwitchyardTestSupport
import Testing

@Suite("Events batched to the server")
struct EventTests {
    @Test("shutdown flushes outputs and follow-ups, with lengths measured by the client")
    func shutdownFlushes() async throws {
        let server = try await LiveServer()
        try await server.start()
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: LogCapture()))
        let flagsRun = await flags.start()
        let outputId = flags.trackOutput(
            flag: "ai-summary", context: .pro, variant: "on", model: "m-2", output: "Héllo  wonderful\nworld 👋🏽", latency: .milliseconds(850),
            tokensIn: 300, tokensOut: 12, finishReason: .length)
        flags.trackFeedback(outputId: outputId, positive: false)
        flags.trackEdit(outputId: outputId, editedLength: 20, editDistance: 4)
        flags.trackAction(outputId: outputId, name: "sent")
        #expect(server.events.isEmpty)

        await flagsRun.stop()
        let events = server.events
        #expect(events.count == 4)
        guard case .output(let output)? = events.first else {
            Issue.record("expected the output first, got \(events)")
            return
        }
        #expect(output.outputId == outputId)
        #expect(output.unitKey == "u-1")
        #expect(output.chars == 24)
        #expect(output.words == 4)
        #expect(output.latencyMs == 850)
        #expect(output.finishReason == .length)
        #expect(events.dropFirst().map(\.typeName) == ["feedback", "edit", "action"])
        await server.stop()
    }

    @Test("exposures are reported once per unit, flag and variant")
    func exposuresDeduplicated() async throws {
        let server = try await LiveServer()
        try await server.start()
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: LogCapture()))
        let flagsRun = await flags.start()
        #expect(await eventually { flags.state == .ready })
        for _ in 0..<100 {
            _ = flags.bool("ai-summary", default: false, context: .pro)
            _ = flags.bool("ai-summary", default: false, context: .free)
        }
        _ = flags.bool("no-such-flag", default: false, context: .pro)
        await flagsRun.stop()

        let exposures = server.events.compactMap { event -> ExposureEvent? in
            if case .exposure(let exposure) = event { return exposure }
            return nil
        }
        #expect(exposures.count == 2)
        #expect(Set(exposures.map { "\($0.unitKey)=\($0.variant)/\($0.reason)" }) == ["u-1=on/TARGETING_MATCH", "u-2=off/TARGETING_MATCH"])
        await server.stop()
    }

    @Test("a unit's exposure is reported again in the next window")
    func exposureWindow() async throws {
        let server = try await LiveServer()
        try await server.start()
        var options = SwitchyardClient.Options.fast(logs: LogCapture())
        options.flushInterval = .milliseconds(20)
        options.exposureWindow = .milliseconds(1)
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: options)
        let flagsRun = await flags.start()
        #expect(await eventually { flags.state == .ready })
        let exposures = { server.events.filter { $0.typeName == "exposure" }.count }

        _ = flags.bool("ai-summary", default: false, context: .pro)
        #expect(await eventually { exposures() == 1 })
        _ = flags.bool("ai-summary", default: false, context: .pro)
        #expect(await eventually { exposures() == 2 })
        await flagsRun.stop()
        await server.stop()
    }

    @Test("the queue bound holds under a flood: the newest events are kept and the drops logged")
    func floodKeepsBound() async throws {
        let server = try await LiveServer()
        try await server.reservePort()
        let logs = LogCapture()
        var options = SwitchyardClient.Options.fast(logs: logs)
        options.maximumQueuedEvents = 50
        options.flushSize = 1_000
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: options)
        let flagsRun = await flags.start()
        var ids: [String] = []
        for index in 0..<5_000 {
            ids.append(flags.trackOutput(flag: "ai-summary", context: .pro, variant: "on", model: "m", output: "output \(index)", latency: .zero))
        }
        try await server.start()
        await flagsRun.stop()

        let received = server.events.compactMap { event -> String? in
            if case .output(let output) = event { return output.outputId }
            return nil
        }
        #expect(received == Array(ids.suffix(50)))
        #expect(logs.contains(.warning, "dropped the oldest events"))
        await server.stop()
    }

    @Test("shutdown with the server down gives up after the shutdown timeout and logs what it dropped")
    func shutdownWithServerDown() async throws {
        let server = try await LiveServer()
        try await server.reservePort()
        let logs = LogCapture()
        var options = SwitchyardClient.Options.fast(logs: logs)
        options.shutdownTimeout = .milliseconds(100)
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: options)
        let flagsRun = await flags.start()
        for _ in 0..<3 {
            flags.trackOutput(flag: "ai-summary", context: .pro, variant: "on", model: "m", output: "text", latency: .zero)
        }
        await flagsRun.stop()
        #expect(logs.contains(.error, "dropped the events still queued at shutdown"))
        #expect(logs.text.contains(#""events": 3"#))
    }

    @Test("a batch the server refuses is retried with the same batch id until it is accepted")
    func retries() async throws {
        let server = try await LiveServer()
        try await server.start()
        server.acceptEvents(false)
        var options = SwitchyardClient.Options.fast(logs: LogCapture())
        options.flushInterval = .milliseconds(50)
        options.maximumSendAttempts = 1_000
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: options)
        let flagsRun = await flags.start()
        let outputId = flags.trackOutput(flag: "ai-summary", context: .pro, variant: "on", model: "m", output: "text", latency: .zero)
        #expect(await eventually { server.refusedBatches >= 2 }, "the client sent the batch and retried it")
        #expect(server.events.isEmpty)

        server.acceptEvents(true)
        #expect(await eventually { !server.events.isEmpty })
        guard case .output(let output)? = server.events.first else {
            Issue.record("expected the output")
            return
        }
        #expect(output.outputId == outputId)
        await flagsRun.stop()
        #expect(server.events.count == 1)
        await server.stop()
    }
}

@Suite("Service lifecycle")
struct ServiceTests {
    @Test("a service group's graceful shutdown flushes the client's events")
    func gracefulShutdownFlushes() async throws {
        let server = try await LiveServer()
        try await server.start()
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: LogCapture()))
        let group = ServiceGroup(configuration: .init(services: [flags], gracefulShutdownSignals: [], logger: LogCapture().logger))
        let running = Task { try await group.run() }
        let outputId = flags.trackOutput(flag: "ai-summary", context: .pro, variant: "on", model: "m", output: "done", latency: .zero)
        #expect(server.events.isEmpty)

        await group.triggerGracefulShutdown()
        try await running.value
        #expect(server.events.count == 1)
        guard case .output(let output)? = server.events.first else {
            Issue.record("the flushed event is not the output: \(server.events)")
            return
        }
        #expect(output.outputId == outputId)
        await server.stop()
    }
}
