import GRPCCore
import SwiftProtobuf
import SwitchyardCore

extension FlagEvaluationService {
    /// `provider_ready` on connect, then `configuration_change` naming the flags each change
    /// altered (in the caller's flag set), until the client goes away, its key is revoked or the
    /// server shuts down gracefully. RPC providers drop their cached results on each.
    func eventStream(
        request: ServerRequest<Flagd_Evaluation_V1_EventStreamRequest>, context: ServerContext
    ) async throws -> StreamingServerResponse<Flagd_Evaluation_V1_EventStreamResponse> {
        let caller = try await FlagdCaller.authenticate(request.metadata, selectorField: "", backend: backend, bindings: bindings)
        let opened = try caller.snapshot(backend)
        let client = FlagdCaller.clientID(providerID: "")
        return StreamingServerResponse { [backend] writer in
            var ready = Flagd_Evaluation_V1_EventStreamResponse()
            ready.type = "provider_ready"
            try await writer.write(ready)
            try await context.streamUntilCancelled {
                var served = opened.document.flags.filter { caller.selector?.contains($0.value) ?? true }.mapValues(\.definition)
                var seenVersion: Int64 = -1
                try await backend.follow(environment: caller.environment, client: client, keyID: caller.keyID) { _ in
                    guard let snapshot = backend.snapshot(of: caller.environment), snapshot.version > seenVersion else { return }
                    seenVersion = snapshot.version
                    let current = snapshot.document.flags.filter { caller.selector?.contains($0.value) ?? true }.mapValues(\.definition)
                    let changed = Set(current.keys).union(served.keys).filter { current[$0] != served[$0] }
                    served = current
                    if !changed.isEmpty {
                        var event = Flagd_Evaluation_V1_EventStreamResponse()
                        event.type = "configuration_change"
                        let flags = changed.map { key in (key, ["type": current[key] == nil ? "delete" : "update"] as JSONValue) }
                        event.data = JSONValue.protobufStruct(["flags": .object(Dictionary(uniqueKeysWithValues: flags))])
                        try await writer.write(event)
                    }
                    backend.delivered(version: snapshot.version, environment: caller.environment, client: client)
                }
            }
            return [:]
        }
    }
}
