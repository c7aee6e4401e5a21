import Foundation
import SwitchyardClient
import SwitchyardTestSupport
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
}
