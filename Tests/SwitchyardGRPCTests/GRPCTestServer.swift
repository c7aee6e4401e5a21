import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Hummingbird
import HummingbirdTesting
import SwitchyardCore
import SwitchyardGRPC
import SwitchyardServer
import SwitchyardTestSupport
import Testing

typealias GRPCTestClient = GRPCClient<HTTP2ClientTransport.Posix>

/// A ``TestServer`` with the flagd gRPC services on a free port; its SDK key, for production, is `flagd`.
struct GRPCTestServer {
    let base: TestServer

    var server: SwitchyardServer { base.server }
    var admin: String { base.admin }
    var sdk: String { base.sdk }
    var sdkKeyID: String { base.sdkKeyID }

    /// A server whose production environment starts with `document`.
    init(
        _ document: JSONValue? = nil, selectorBindings: @escaping (_ sdkKeyID: String) throws -> [FlagdSelectorBinding] = { _ in [] }
    ) async throws {
        base = try await TestServer(
            sdkKeyName: "flagd", document: document,
            grpc: { FlagdGRPCConfiguration(host: "127.0.0.1", port: 0, selectorBindings: try selectorBindings($0)) })
    }

    /// Runs the HTTP application (with the gRPC server among its services) and a gRPC client connected to it.
    func run(_ body: @escaping @Sendable (any TestClientProtocol, GRPCTestClient) async throws -> Void) async throws {
        let (ports, portSource) = AsyncStream<Int>.makeStream()
        try await server.makeApplication(onGRPCListening: { portSource.yield($0) }).testLive { http in
            // The gRPC server is one of the application's services: if it fails, nothing else says so.
            let port = try await withTimeLimit(.seconds(60)) {
                for await port in ports { return port }
                throw CancellationError()
            }
            try await withGRPCClient(
                transport: try .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
            ) { grpc in
                try await body(http, grpc)
            }
        }
    }

    /// `authorization: Bearer` metadata for a key.
    static func bearer(_ key: String) -> Metadata { ["authorization": "Bearer \(key)"] }

    /// The example flags, `examples/flags.json`.
    static func exampleFlags() throws -> JSONValue {
        try JSONValue(parsing: [UInt8](Data(contentsOf: repository.appendingPathComponent("examples/flags.json"))))
    }

    /// flagd-testbed's flags as its launchpad merges them (every `flags/*.json` but the selector ones).
    static func testbedFlags() throws -> JSONValue {
        let directory = repository.deletingLastPathComponent().appendingPathComponent("shared/conformance/flagd-testbed/flags")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix("selector-") }.sorted()
        var flags: [String: JSONValue] = [:]
        var evaluators: [String: JSONValue] = [:]
        for name in names {
            let document = try JSONValue(parsing: [UInt8](Data(contentsOf: directory.appendingPathComponent(name))))
            flags.merge(document["flags"]?.objectValue ?? [:]) { _, later in later }
            evaluators.merge(document["$evaluators"]?.objectValue ?? [:]) { _, later in later }
        }
        return ["flags": .object(flags), "$evaluators": .object(evaluators)]
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// The responses of a server stream, read in a child task by ``withStream(_:_:)``.
struct StreamMessages<Message: Sendable>: Sendable {
    let stream: AsyncThrowingStream<Message, any Error>

    /// The next message, `nil` when the stream ended.
    /// - Throws: ``TimedOut`` when none comes within `limit`; the call's error when it failed.
    func next(within limit: Duration = .seconds(10)) async throws -> Message? {
        try await withTimeLimit(limit) { [stream] in
            var iterator = stream.makeAsyncIterator()
            return [try await iterator.next()]
        }[0]
    }
}

/// Runs a server-streaming call in a child task while `body` reads its messages; leaving `body`
/// cancels the call, as a client that goes away does.
func withStream<Message: Sendable, Result: Sendable>(
    _ call: @escaping @Sendable (@escaping @Sendable (StreamingClientResponse<Message>) async throws -> Void) async throws -> Void,
    _ body: (StreamMessages<Message>) async throws -> Result
) async throws -> Result {
    let (messages, continuation) = AsyncThrowingStream<Message, any Error>.makeStream()
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            do {
                try await call { response in
                    for try await message in response.messages { continuation.yield(message) }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        defer { group.cancelAll() }
        return try await body(StreamMessages(stream: messages))
    }
}

/// A `SyncFlags` stream whose documents `body` reads as JSON.
func withSyncStream<Result: Sendable>(
    _ grpc: GRPCTestClient, metadata: Metadata, request: Flagd_Sync_V1_SyncFlagsRequest = .init(),
    _ body: (SyncDocuments) async throws -> Result
) async throws -> Result {
    try await withStream({ handle in
        try await Flagd_Sync_V1_FlagSyncService.Client(wrapping: grpc).syncFlags(request, metadata: metadata, onResponse: handle)
    }) { messages in
        try await body(SyncDocuments(messages: messages))
    }
}

/// The documents of a `SyncFlags` stream.
struct SyncDocuments: Sendable {
    let messages: StreamMessages<Flagd_Sync_V1_SyncFlagsResponse>

    /// The next document, `nil` when the stream ended.
    func next(within limit: Duration = .seconds(10)) async throws -> JSONValue? {
        try await messages.next(within: limit).map { try JSONValue(parsing: $0.flagConfiguration) }
    }
}
