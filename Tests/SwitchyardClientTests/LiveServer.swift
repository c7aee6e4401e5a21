import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Prometheus
import ServiceLifecycle
import SwitchyardCore
import SwitchyardGuard
import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport
import Synchronization

/// A real Switchyard server on a loopback port, over a store that outlives restarts, with a tap in
/// front of `POST /api/v1/events` that records every batch the server accepts and can make the
/// route unavailable.
final class LiveServer: Sendable {
    let store: any FlagStore & GuardrailStore
    let admin: String
    let sdk: String
    let logs = LogCapture()
    private let batches = Mutex<[EventBatch]>([])
    private let acceptsEvents = Atomic<Bool>(true)
    private let refusals = Atomic<Int>(0)
    private let running = Mutex<(group: ServiceGroup, task: Task<Void, any Error>)?>(nil)
    private let boundPort = Atomic<Int>(0)

    /// A server with `flags` imported into `production`, not yet started; its store and keys are a
    /// `TestServer`'s, served here on a port that stays the same across restarts.
    init(flags: JSONValue = LiveServer.flags) async throws {
        let base = try await TestServer(sdkKeyName: "app")
        store = base.store
        admin = base.admin
        sdk = base.sdk
        for (key, definition) in flags["flags"]?.objectValue ?? [:] {
            _ = try await store.apply(.createFlag(key: key, definition: definition), to: "production", by: .system, reason: nil)
        }
    }

    static let flags: JSONValue = [
        "flags": [
            "ai-summary": [
                "state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "off", "safeVariant": "off",
                "targeting": ["if": [["==": [["var": "plan"], "pro"]], "on", "off"]],
            ],
            "model": [
                "state": "ENABLED", "variants": ["a": "model-a", "b": "model-b"], "defaultVariant": "a",
            ],
        ]
    ]

    /// The base URL; the port stays the same across restarts.
    var url: URL { URL(string: "http://127.0.0.1:\(boundPort.load(ordering: .relaxed))")! }

    /// Every event the stub route accepted.
    var events: [GuardEvent] { batches.withLock { $0.flatMap(\.events) } }

    /// Makes the events route answer 503 (`false`) or accept batches again.
    func acceptEvents(_ accept: Bool) { acceptsEvents.store(accept, ordering: .relaxed) }

    /// Whether the events route is available.
    var isAcceptingEvents: Bool { acceptsEvents.load(ordering: .relaxed) }

    /// How many batches the events route refused while it was not accepting them.
    var refusedBatches: Int { refusals.load(ordering: .relaxed) }

    /// Counts a batch refused while not accepting events.
    func noteRefusal() { refusals.add(1, ordering: .relaxed) }

    /// Records a batch the server accepted.
    func record(_ batch: EventBatch) { batches.withLock { $0.append(batch) } }

    /// Reserves a port by starting and stopping the server, so a client can start against it while it is down.
    func reservePort() async throws {
        try await start()
        await stop()
    }

    /// Starts serving (on the same port as before, if it ran before) and returns once it listens.
    func start() async throws {
        let logger = Logger(label: "server") { _ in self.logs.handler() }
        let server = SwitchyardServer(
            store: store,
            configuration: ServerConfiguration(host: "127.0.0.1", port: boundPort.load(ordering: .relaxed), heartbeatInterval: .seconds(1)),
            registry: PrometheusCollectorRegistry(), logger: logger)
        try await server.prepare()
        let responder = EventTap(inner: server.makeRouter().buildResponder(), server: self)
        let (listening, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: boundPort.load(ordering: .relaxed)), serverName: "test"),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [], logger: logger))
        let task = Task {
            // A server that stops before it listens (its port taken, say) ends the wait below.
            defer { continuation.finish() }
            try await group.run()
        }
        running.withLock { $0 = (group, task) }
        for await port in listening {
            boundPort.store(port, ordering: .relaxed)
            return
        }
        try await task.value
        throw TestFailure("the server stopped before it listened")
    }

    /// Stops serving, closing open streams.
    func stop() async {
        guard
            let (group, task) = running.withLock({ running in
                defer { running = nil }; return running
            })
        else { return }
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    /// Sends an admin request and returns the status, JSON body and entity tag.
    @discardableResult
    func adminRequest(
        _ method: HTTPMethod, _ path: String, json: JSONValue? = nil, ifMatch: String? = nil
    ) async throws -> (status: UInt, body: JSONValue?, etag: String?) {
        var request = HTTPClientRequest(url: url.absoluteString + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(admin)")
        if let ifMatch { request.headers.add(name: "If-Match", value: ifMatch) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json.serialized()))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        let json = body.readableBytes > 0 ? try? JSONValue(parsing: String(buffer: body)) : nil
        return (response.status.code, json, response.headers.first(name: "ETag"))
    }

    /// Replaces one flag's definition through the admin API, based on its current version.
    func update(_ key: String, _ definition: JSONValue) async throws {
        let etag = try await adminRequest(.GET, "/api/v1/flags/\(key)").etag
        let (status, body, _) = try await adminRequest(.PUT, "/api/v1/flags/\(key)", json: definition, ifMatch: etag)
        guard status == 200 else { throw TestFailure("PUT \(key) answered \(status): \(body?.serialized() ?? "")") }
    }
}

/// Passes every request to the server, recording the event batches it accepts.
struct EventTap<Inner: HTTPResponder>: HTTPResponder {
    typealias Context = Inner.Context
    let inner: Inner
    let server: LiveServer

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .post, request.uri.path == "/api/v1/events" else {
            return try await inner.respond(to: request, context: context)
        }
        guard server.isAcceptingEvents else {
            server.noteRefusal()
            return Response(status: .serviceUnavailable)
        }
        var request = request
        let body = try await request.collectBody(upTo: 16 << 20)
        let response = try await inner.respond(to: request, context: context)
        if response.status.code < 300, let batch = try? EventBatch(json: JSONValue(parsing: String(buffer: body))) {
            server.record(batch)
        }
        return response
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
