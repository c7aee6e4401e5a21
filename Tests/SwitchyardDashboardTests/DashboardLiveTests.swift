import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import SwitchyardCore
import SwitchyardDashboard
import SwitchyardStore
import SwitchyardTestSupport
import Synchronization
import Testing

/// A backend with one admin key whose change feed the test drives, counting open subscriptions.
final class FakeBackend: DashboardBackend {
    static let secret = "sy_admin_fake"
    let active = Mutex(0)
    let continuations = Mutex<[AsyncStream<DashboardChange>.Continuation]>([])
    /// The environment's version, as `state(of:)` answers it.
    let version = Mutex<Int64>(0)

    func key(secret: String) async throws -> APIKey? {
        secret == Self.secret ? APIKey(id: "admin-1", kind: .admin, environment: nil, name: "admin", createdAt: Date(), revokedAt: nil) : nil
    }
    func environments() async throws -> [SwitchyardStore.Environment] { [SwitchyardStore.Environment(name: "production", createdAt: Date())] }
    func state(of environment: String) async throws -> EnvironmentState {
        EnvironmentState(name: environment, version: version.withLock { $0 })
    }
    func apply(_ mutation: Mutation, in environment: String, by author: Author, reason: String?) async throws {}
    func createEnvironment(named name: String, by author: Author) async throws {}
    func guardrails(of flag: String, in environment: String, withReport: Bool) async throws -> DashboardGuardrails? { nil }
    func rollout(_ command: DashboardRolloutCommand, flag: String, in environment: String, by author: Author) async throws {}
    func propagation(of flag: String, in environment: String) async throws -> JSONValue? { nil }
    func audit(in environment: String, flag: String?, limit: Int) async throws -> [AuditEntry] { [] }
    func apiKeys() async throws -> [APIKey] { [] }
    func createKey(_ request: APIKeyRequest, by author: Author) async throws -> IssuedAPIKey { throw DashboardError.refused("no") }
    func revokeKey(id: String, by author: Author) async throws -> APIKey { throw DashboardError.refused("no") }

    func subscribe(to environment: String, keyID: String) -> DashboardSubscription {
        let (stream, continuation) = AsyncStream<DashboardChange>.makeStream()
        active.withLock { $0 += 1 }
        continuation.onTermination = { [weak self] _ in self?.active.withLock { $0 -= 1 } }
        continuations.withLock { $0.append(continuation) }
        return DashboardSubscription(changes: stream, cancel: { continuation.finish() })
    }

    func publish(_ change: DashboardChange) {
        for continuation in continuations.withLock({ $0 }) { continuation.yield(change) }
    }

    var subscribers: Int { active.withLock { $0 } }
}

/// Reads an SSE body line by line.
struct LiveStream {
    var iterator: HTTPClientResponse.Body.AsyncIterator
    var pending = ""

    /// The next `data:` line's text, skipping everything else; `nil` at the end of the stream.
    mutating func nextData() async throws -> String? {
        while true {
            if let newline = pending.firstIndex(of: "\n") {
                let line = String(pending[..<newline])
                pending.removeSubrange(...newline)
                if line.hasPrefix("data: ") { return String(line.dropFirst(6)) }
                continue
            }
            guard let buffer = try await iterator.next() else { return nil }
            pending += String(buffer: buffer)
        }
    }
}

@Suite(.timeLimit(.minutes(1))) struct DashboardLiveTests {
    func application(_ backend: FakeBackend, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router()
        Dashboard(backend: backend).addRoutes(to: router)
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { await onRunning($0.localAddress?.port ?? 0) },
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// Signs in with `key` and opens production's live stream with the session cookie.
    static func openLive(
        port: Int, http: HTTPClient, key: String = FakeBackend.secret, since: Int64? = nil
    ) async throws -> (status: UInt, stream: LiveStream) {
        var signIn = HTTPClientRequest(url: "http://127.0.0.1:\(port)/ui/sign-in")
        signIn.method = .POST
        signIn.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        signIn.body = .bytes(ByteBuffer(string: "key=\(Browser.encode(key))"))
        let signedIn = try await http.execute(signIn, timeout: .seconds(10))
        let cookie = try #require(signedIn.headers["Set-Cookie"].first.flatMap(Browser.cookieValue))
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/ui/live?env=production" + (since.map { "&since=\($0)" } ?? ""))
        request.headers.add(name: "Cookie", value: "\(Dashboard.cookieName)=\(cookie)")
        let response = try await http.execute(request, timeout: .seconds(30))
        return (response.status.code, LiveStream(iterator: response.body.makeAsyncIterator()))
    }

    @Test func theLiveStreamNeedsASession() async throws {
        try await application(FakeBackend()).test(.router) { client in
            let response = try await client.execute(uri: "/ui/live?env=production", method: .get)
            #expect(response.status == .unauthorized)
        }
    }

    @Test func theLiveStreamSendsChangesAndEndsWhenTheBrowserGoesAway() async throws {
        let backend = FakeBackend()
        try await application(backend).testLive { client in
            let port = try #require(client.port)
            try await Self.withClient { http in
                var (status, stream) = try await Self.openLive(port: port, http: http)
                #expect(status == 200)
                #expect(await eventually { backend.subscribers == 1 })
                backend.publish(.change(version: 7, flag: "ai-summary"))
                let data = try #require(try await stream.nextData())
                #expect(try JSONValue(parsing: data) == ["version": 7, "flag": "ai-summary"])
            }
            #expect(await eventually(timeout: .seconds(5)) { backend.subscribers == 0 }, "the subscription ends with the connection")
        }
    }

    @Test func aChangeMadeWhileThePageLoadedIsNotMissed() async throws {
        let backend = FakeBackend()
        backend.version.withLock { $0 = 12 }
        try await application(backend).testLive { client in
            let port = try #require(client.port)
            try await Self.withClient { http in
                var (_, stream) = try await Self.openLive(port: port, http: http, since: 11)
                let data = try #require(try await stream.nextData())
                #expect(try JSONValue(parsing: data)["version"] == 12, "the page showed version 11: it is told to refresh at once")
            }
        }
    }

    @Test func gracefulShutdownEndsOpenLiveStreams() async throws {
        let backend = FakeBackend()
        let (ports, portSource) = AsyncStream<Int>.makeStream()
        let app = application(backend) { portSource.yield($0) }
        let group = ServiceGroup(services: [app], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await Self.withClient { http in
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    defer { portSource.finish() }
                    try await group.run()
                }
                var portIterator = ports.makeAsyncIterator()
                let port = try #require(await portIterator.next())
                var (_, stream) = try await Self.openLive(port: port, http: http)
                #expect(await eventually { backend.subscribers == 1 })
                await group.triggerGracefulShutdown()
                #expect(try await stream.nextData() == nil, "the stream ends")
                try await tasks.next()
                #expect(backend.subscribers == 0)
            }
        }
    }

    /// Runs `body` with a client that does not follow redirects (so the sign-in's cookie is seen),
    /// then shuts it down, which closes its connections.
    static func withClient(_ body: (HTTPClient) async throws -> Void) async throws {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await body(http)
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }
}
