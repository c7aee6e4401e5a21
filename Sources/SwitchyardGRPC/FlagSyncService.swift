import GRPCCore
import SwiftProtobuf
import SwitchyardCore

/// `flagd.sync.v1.FlagSyncService`: an environment's whole flag configuration as flagd JSON, for
/// flagd's in-process providers and the flagd daemon's gRPC source.
struct FlagSyncService: Flagd_Sync_V1_FlagSyncService.ServiceProtocol {
    let backend: any FlagdBackend
    let bindings: [FlagdSelectorBinding]
    let documents: FlagdDocuments

    /// The document on connect, then again after every change that alters it, until the client
    /// goes away, its key is revoked, or the server shuts down gracefully. Each document written
    /// counts as delivered in `propagation`.
    func syncFlags(
        request: ServerRequest<Flagd_Sync_V1_SyncFlagsRequest>, context: ServerContext
    ) async throws -> StreamingServerResponse<Flagd_Sync_V1_SyncFlagsResponse> {
        let caller = try await FlagdCaller.authenticate(
            request.metadata, selectorField: request.message.selector, backend: backend, bindings: bindings)
        _ = try caller.snapshot(backend)
        let client = FlagdCaller.clientID(providerID: request.message.providerID)
        return StreamingServerResponse { [backend, documents] writer in
            try await context.streamUntilCancelled {
                var sentVersion: Int64 = -1
                var sentText = ""
                try await backend.follow(environment: caller.environment, client: client, keyID: caller.keyID) { _ in
                    guard let snapshot = backend.snapshot(of: caller.environment), snapshot.version > sentVersion else { return }
                    let text = documents.text(of: snapshot, environment: caller.environment, selector: caller.selector)
                    // A change outside the selected flag set leaves the document as it was: nothing to send.
                    if text != sentText {
                        var response = Flagd_Sync_V1_SyncFlagsResponse()
                        response.flagConfiguration = text
                        try await writer.write(response)
                        sentText = text
                    }
                    sentVersion = snapshot.version
                    backend.delivered(version: snapshot.version, environment: caller.environment, client: client)
                }
            }
            return [:]
        }
    }

    /// The document once.
    func fetchAllFlags(
        request: ServerRequest<Flagd_Sync_V1_FetchAllFlagsRequest>, context: ServerContext
    ) async throws -> ServerResponse<Flagd_Sync_V1_FetchAllFlagsResponse> {
        let caller = try await FlagdCaller.authenticate(
            request.metadata, selectorField: request.message.selector, backend: backend, bindings: bindings)
        let snapshot = try caller.snapshot(backend)
        var response = Flagd_Sync_V1_FetchAllFlagsResponse()
        response.flagConfiguration = documents.text(of: snapshot, environment: caller.environment, selector: caller.selector)
        return ServerResponse(message: response)
    }

    /// flagd's static evaluation context (`flagd -X key=value`), which flagd's in-process providers
    /// merge into every evaluation context. Switchyard has none, so it is empty: the flag-set
    /// metadata travels in the document's `metadata` instead, and merging it into contexts
    /// (`version`, `flagSetId`) would change the answers of flags that read those attributes.
    func getMetadata(
        request: ServerRequest<Flagd_Sync_V1_GetMetadataRequest>, context: ServerContext
    ) async throws -> ServerResponse<Flagd_Sync_V1_GetMetadataResponse> {
        _ = try await FlagdCaller.authenticate(request.metadata, selectorField: "", backend: backend, bindings: bindings)
        var response = Flagd_Sync_V1_GetMetadataResponse()
        response.metadata = Google_Protobuf_Struct()
        return ServerResponse(message: response)
    }
}
