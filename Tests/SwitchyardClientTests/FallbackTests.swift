import Foundation
import SwitchyardClient
import SwitchyardTestSupport
import Testing

@Suite("Fail-safe order: live, disk cache, bootstrap file, code default")
struct FallbackTests {
    static let bootstrap = #"""
        {"flags": {
          "ai-summary": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"},
          "model": {"state": "ENABLED", "variants": {"a": "model-a", "z": "model-z"}, "defaultVariant": "z"}
        }}
        """#

    @Test("the disk cache survives a restart of the client")
    func cacheSurvivesRestart() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = directory.appendingPathComponent("flags.cache.json").path
        let server = try await LiveServer()
        try await server.start()
        let first = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: LogCapture(), cacheFile: cache))
        let firstRun = await first.start()
        #expect(await eventually { first.state == .ready })
        try await server.update("model", ["state": "ENABLED", "variants": ["a": "model-a", "b": "model-b"], "defaultVariant": "b"])
        #expect(await eventually { first.string("model", default: "none") == "model-b" })
        let version = first.version
        await firstRun.stop()
        await server.stop()

        let second = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: LogCapture(), cacheFile: cache))
        let secondRun = await second.start()
        #expect(second.state == .stale)
        #expect(second.version == version)
        #expect(second.string("model", default: "none") == "model-b")
        #expect(second.bool("ai-summary", default: false, context: .pro) == true)
        #expect(second.bool("ai-summary", default: true, context: .free) == false)

        // Back online, the stream resumes from the cached version: nothing to replay, and ready.
        try await server.start()
        #expect(await eventually { second.state == .ready })
        #expect(second.version == version)
        await secondRun.stop()
        await server.stop()
    }

    @Test("the cache is preferred to the bootstrap file, which is preferred to code defaults")
    func order() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bootstrap = directory.appendingPathComponent("bootstrap.json").path
        try Self.bootstrap.write(toFile: bootstrap, atomically: true, encoding: .utf8)
        let cache = directory.appendingPathComponent("cache.json").path
        let server = try await LiveServer()
        try await server.reservePort()

        let fromBootstrap = SwitchyardClient(
            url: server.url, sdkKey: server.sdk, options: .fast(logs: LogCapture(), cacheFile: cache, bootstrapFile: bootstrap))
        let fromBootstrapRun = await fromBootstrap.start()
        #expect(fromBootstrap.state == .stale)
        #expect(fromBootstrap.version == nil)
        #expect(fromBootstrap.string("model", default: "none") == "model-z")

        try await server.start()
        #expect(await eventually { fromBootstrap.state == .ready })
        #expect(fromBootstrap.string("model", default: "none") == "model-a")
        #expect(await eventually { FileManager.default.fileExists(atPath: cache) })
        await fromBootstrapRun.stop()
        await server.stop()

        let fromCache = SwitchyardClient(
            url: server.url, sdkKey: server.sdk, options: .fast(logs: LogCapture(), cacheFile: cache, bootstrapFile: bootstrap))
        let fromCacheRun = await fromCache.start()
        #expect(fromCache.string("model", default: "none") == "model-a")
        await fromCacheRun.stop()
    }

    @Test("a corrupt cache file is ignored with a logged error, and the bootstrap file serves")
    func corruptCache() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = directory.appendingPathComponent("cache.json").path
        try #"{"version": 3, "document": {"flags": {"x": {"state": "SOMETIMES"}}}"#.write(toFile: cache, atomically: true, encoding: .utf8)
        let bootstrap = directory.appendingPathComponent("bootstrap.json").path
        try Self.bootstrap.write(toFile: bootstrap, atomically: true, encoding: .utf8)
        let server = try await LiveServer()
        try await server.reservePort()
        let logs = LogCapture()

        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: logs, cacheFile: cache, bootstrapFile: bootstrap))
        let flagsRun = await flags.start()
        #expect(flags.state == .stale)
        #expect(flags.string("model", default: "none") == "model-z")
        #expect(logs.contains(.error, "ignoring the flag cache file"))
        await flagsRun.stop()
    }

    @Test("a corrupt bootstrap file is ignored with a logged error: code defaults")
    func corruptBootstrap() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bootstrap = directory.appendingPathComponent("bootstrap.json").path
        try Data([0x7B, 0xFF, 0x00, 0x22]).write(to: URL(fileURLWithPath: bootstrap))
        let server = try await LiveServer()
        try await server.reservePort()
        let logs = LogCapture()

        let flags = SwitchyardClient(url: server.url, sdkKey: server.sdk, options: .fast(logs: logs, bootstrapFile: bootstrap))
        let flagsRun = await flags.start()
        #expect(flags.state == .offline)
        let details = flags.stringDetails("model", default: "fallback")
        #expect(details.value == "fallback")
        #expect(details.errorCode == .flagNotFound)
        #expect(logs.contains(.error, "ignoring the bootstrap flag file"))
        await flagsRun.stop()
    }
}
