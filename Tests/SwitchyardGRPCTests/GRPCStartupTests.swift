import Dispatch
import GRDB
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle
import SwitchyardCore
import SwitchyardGRPC
import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport
import Synchronization
import Testing

/// The flagd gRPC server listens only once the server has loaded what it serves.
@Suite struct GRPCStartupTests {
    static let flags: JSONValue = ["flags": ["ai-summary": ["state": "ENABLED", "variants": ["on": true, "off": false], "defaultVariant": "on"]]]

    /// While the store is busy, loading the snapshots waits; the gRPC server does not listen (and
    /// so answer UNAVAILABLE) meanwhile: its first answer is the flag.
    @Test func theGRPCServerListensOnlyOnceTheSnapshotsAreLoaded() async throws {
        let queue = try DatabaseQueue()
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let test = try await TestServer(
            store: try GRDBFlagStore(queue, logger: logger), document: Self.flags,
            grpc: { _ in FlagdGRPCConfiguration(host: "127.0.0.1", port: 0) })
        let released = Switch()
        let (ports, portSource) = AsyncStream<(port: Int, afterRelease: Bool)>.makeStream()
        let application = test.server.makeApplication(onGRPCListening: { portSource.yield(($0, released.isOn)) })
        let group = ServiceGroup(services: [application], logger: logger)
        let gate = DispatchSemaphore(value: 0)
        let (held, holding) = AsyncStream<Void>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            // Holds the database: the snapshots cannot be loaded until the gate opens.
            tasks.addTask {
                try await queue.write { _ in
                    holding.yield()
                    gate.wait()
                }
            }
            for await _ in held { break }
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(300))
            released.turnOn()
            gate.signal()
            var iterator = ports.makeAsyncIterator()
            let listening = try #require(await iterator.next())
            #expect(listening.afterRelease, "the gRPC server listened before the snapshots were loaded")
            try await withGRPCClient(
                transport: try .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: listening.port), transportSecurity: .plaintext)
            ) { grpc in
                var request = Flagd_Evaluation_V1_ResolveBooleanRequest()
                request.flagKey = "ai-summary"
                let answer = try await Flagd_Evaluation_V1_Service.Client(wrapping: grpc)
                    .resolveBoolean(request, metadata: GRPCTestServer.bearer(test.sdk))
                #expect(answer.value == true)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// A server that is shut down before it is ready ends without ever listening.
    @Test func aGracefulShutdownEndsTheWaitForTheSnapshots() async throws {
        let test = try await TestServer(grpc: { _ in FlagdGRPCConfiguration(host: "127.0.0.1", port: 0) })
        let listened = Switch()
        let grpc = test.server.makeGRPCServer(
            prepared: { try? await Task.sleep(for: .seconds(3600)) }, onListening: { _ in listened.turnOn() })
        let service = try #require(grpc)
        let group = ServiceGroup(services: [service], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await withTimeLimit(.seconds(10)) {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await Task.sleep(for: .milliseconds(50))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
        #expect(!listened.isOn)
    }
}

/// A flag one task turns on and another reads.
final class Switch: Sendable {
    private let on = Atomic<Bool>(false)

    var isOn: Bool { on.load(ordering: .sequentiallyConsistent) }

    func turnOn() { on.store(true, ordering: .sequentiallyConsistent) }
}
