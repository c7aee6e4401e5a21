import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle

/// flagd's gRPC protocols over HTTP/2 (plaintext): `flagd.sync.v1.FlagSyncService` and
/// `flagd.evaluation.v1.Service`, as a ServiceLifecycle service beside the HTTP application.
///
/// It listens only once `ready` has returned (the backend has what it serves), so no client is
/// told the service is unavailable while the server starts. Graceful shutdown stops accepting calls
/// and ends every open stream (each stream's own shutdown handler ends its subscription), or ends
/// the wait for `ready`; cancellation stops at once.
package struct FlagdGRPCServer: Service {
    let configuration: FlagdGRPCConfiguration
    let backend: any FlagdBackend
    let logger: Logger
    let ready: @Sendable () async -> Void
    let onListening: @Sendable (Int) async -> Void

    /// A server over `backend` that listens once `ready` returns (which it must also do when
    /// cancelled); `onListening` gets the bound port once it listens.
    package init(
        configuration: FlagdGRPCConfiguration, backend: any FlagdBackend, logger: Logger, ready: @escaping @Sendable () async -> Void = {},
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.backend = backend
        self.logger = logger
        self.ready = ready
        self.onListening = onListening
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown(ready)
        guard !Task.isCancelled, !Task.isShuttingDownGracefully else { return }
        let host = configuration.host == "localhost" ? "127.0.0.1" : configuration.host
        let address: GRPCNIOTransportCore.SocketAddress =
            host.contains(":") ? .ipv6(host: host, port: configuration.port) : .ipv4(host: host, port: configuration.port)
        let transport = HTTP2ServerTransport.Posix(
            address: address, transportSecurity: .plaintext,
            config: .defaults {
                $0.rpc.maxRequestPayloadSize = configuration.maximumRequestBytes
                $0.http2.maxConcurrentStreams = configuration.maximumStreamsPerConnection
            })
        let bindings = configuration.selectorBindings
        let server = GRPCServer(
            transport: transport,
            services: [
                FlagSyncService(backend: backend, bindings: bindings, documents: FlagdDocuments()),
                FlagEvaluationService(backend: backend, bindings: bindings),
            ])
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await server.serve() }
                let bound = try await transport.listeningAddress
                let port = bound.ipv4?.port ?? bound.ipv6?.port ?? configuration.port
                logger.info("flagd gRPC listening", metadata: ["address": "\(host):\(port)"])
                await onListening(port)
            }
        } onGracefulShutdown: {
            server.beginGracefulShutdown()
        }
    }
}
