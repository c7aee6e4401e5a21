import Foundation
import SwitchyardClient
import SwitchyardTestSupport
import Synchronization
import Testing

@Suite("Client lifecycle")
struct LifecycleTests {
    @Test("a client serves its local document before it runs, and is freed whether or not it ran")
    func clientsAreFreed() async throws {
        let server = try await LiveServer()
        try await server.start()
        weak var neverRun: SwitchyardClient?
        weak var ranAndStopped: SwitchyardClient?
        do {
            let idle = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: LogCapture()))
            #expect(idle.state == .offline, "nothing is fetched before the client runs")
            neverRun = idle

            let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: LogCapture()))
            let running = await flags.start()
            // start() waits only options.startTimeout (1 s here) for the first fetch, which a loaded
            // machine running the whole suite can exceed; the point here is what follows.
            #expect(await flags.waitUntilReady(timeout: .seconds(10)))
            #expect(flags.state == .ready)
            #expect(flags.bool("ai-summary", default: false, context: .pro) == true)
            await running.stop()
            #expect(flags.state != .ready, "a stopped client is no longer connected")
            #expect(flags.bool("ai-summary", default: false, context: .pro) == true, "it keeps serving its last document")
            ranAndStopped = flags
        }
        #expect(neverRun == nil)
        #expect(ranAndStopped == nil, "no background task keeps a stopped client alive")
        await server.stop()
    }

    @Test("waitUntilReady answers false when the server does not answer in time, true once it does")
    func waitUntilReady() async throws {
        let server = try await LiveServer()
        try await server.reservePort()
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: LogCapture()))
        let running = await flags.start()
        #expect(await flags.waitUntilReady(timeout: .milliseconds(50)) == false)
        try await server.start()
        #expect(await flags.waitUntilReady(timeout: .seconds(10)))
        await running.stop()
        await server.stop()
    }

    @Test("stopping ends a flush that keeps retrying once the shutdown timeout has passed")
    func stopIsBoundedWhileAFlushRetries() async throws {
        let server = try await LiveServer()
        try await server.start()
        server.acceptEvents(false)
        var options = SwitchyardClient.Options.fast(logs: LogCapture())
        options.flushInterval = .milliseconds(20)
        options.maximumSendAttempts = 1_000_000
        options.shutdownTimeout = .milliseconds(200)
        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: options)
        let running = await flags.start()
        flags.trackOutput(flag: "ai-summary", context: .pro, variant: "on", model: "m", output: "text", latency: .zero)
        #expect(await eventually { server.refusedBatches >= 1 })
        let stopped = Atomic<Bool>(false)
        let stopping = Task {
            await running.stop()
            stopped.store(true, ordering: .relaxed)
        }
        #expect(await eventually(timeout: .seconds(20)) { stopped.load(ordering: .relaxed) }, "stop() returned while the flush still retried")
        if !stopped.load(ordering: .relaxed) { stopping.cancel() }
        await server.stop()
    }
}
