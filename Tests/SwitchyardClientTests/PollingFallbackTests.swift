import Foundation
import Hummingbird
import ServiceLifecycle
import SwitchyardClient
import SwitchyardTestSupport
import Synchronization
import Testing

@Suite("Polling fallback")
struct PollingFallbackTests {
    /// A server with the document and receipt endpoints but no stream (404), like a proxy that
    /// does not pass SSE through.
    final class StreamlessServer: Sendable {
        let document = Mutex<(version: Int64, model: String)>((1, "model-a"))
        let receipts = Mutex<[Int64]>([])
        let conditionalHits = Atomic<Int>(0)

        func router() -> Router<BasicRequestContext> {
            let router = Router()
            router.get("api/v1/sdk/flags") { request, _ -> Response in
                let (version, model) = self.document.withLock { $0 }
                let etag = "\"v\(version)\""
                if request.headers[.ifNoneMatch] == etag {
                    self.conditionalHits.add(1, ordering: .relaxed)
                    return Response(status: .notModified, headers: [.eTag: etag])
                }
                let body = """
                    {"environment": "production", "version": \(version), "document": {"flags": {"model": \
                    {"state": "ENABLED", "variants": {"m": "\(model)"}, "defaultVariant": "m"}}}}
                    """
                return Response(
                    status: .ok, headers: [.eTag: etag, .contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
            }
            router.post("api/v1/sdk/applied") { request, _ -> HTTPResponse.Status in
                let body = try await request.body.collect(upTo: 1 << 16)
                let json = try JSONValue(parsing: String(buffer: body))
                if case .integer(let version)? = json["version"] { self.receipts.withLock { $0.append(version) } }
                return .noContent
            }
            return router
        }
    }

    @Test("a server without the stream: the client falls back to polling with ETags, and still sends receipts")
    func fallsBackToPolling() async throws {
        let stub = StreamlessServer()
        let (listening, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: stub.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [], logger: LogCapture().logger))
        let running = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var ports = listening.makeAsyncIterator()
        let port = try #require(await ports.next(), "the stub server stopped before it listened")

        let logs = LogCapture()
        var options = SwitchyardClient.Options.fast(logs: logs)
        options.pollInterval = .milliseconds(20)
        let flags = SwitchyardClient(url: URL(string: "http://127.0.0.1:\(port)")!, sdkKey: "key", options: options)
        let flagsRun = await flags.start()
        #expect(await eventually { flags.state == .ready })
        #expect(flags.string("model", default: "none") == "model-a")
        #expect(await eventually { logs.contains(.warning, "falling back to polling") })
        #expect(await eventually { stub.conditionalHits.load(ordering: .relaxed) > 0 })

        stub.document.withLock { $0 = (2, "model-b") }
        #expect(await eventually { flags.string("model", default: "none") == "model-b" })
        #expect(flags.state == .ready)
        #expect(await eventually { stub.receipts.withLock { $0 } == [1, 2] })

        await flagsRun.stop()
        await group.triggerGracefulShutdown()
        try await running.value
    }
}
