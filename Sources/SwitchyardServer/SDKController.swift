import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardStore

/// Flag sync for in-process clients: the document, the change stream and applied receipts.
struct SDKController {
    let snapshots: SnapshotRegistry
    let tracker: PropagationTracker
    let streams: StreamController

    func addRoutes(to group: RouterGroup<SwitchyardRequestContext>) {
        group.get("flags", use: flags)
        group.get("stream") { request, context in try streams.stream(request, context: context, format: .sdk) }
        group.post("applied", use: applied)
    }

    @Sendable func flags(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        guard let environment = context.apiKey?.environment, let snapshot = snapshots[environment] else {
            throw APIError(.serviceUnavailable, code: "not_ready", "the environment is not loaded")
        }
        let headers: HTTPFields = [.eTag: snapshot.etag, .cacheControl: "no-cache"]
        if request.headers[.ifNoneMatch] == snapshot.etag { return Response(status: .notModified, headers: headers) }
        return .json(
            ["environment": .string(environment), "version": .integer(snapshot.version), "document": .object(snapshot.served)],
            headers: headers)
    }

    /// `{"client": ID, "version": N}`: the client now serves version N.
    @Sendable func applied(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        guard let environment = context.apiKey?.environment else { throw APIError.forbidden("an SDK key is required") }
        let receipt = try await request.decode(as: AppliedReceipt.self, context: context)
        guard !receipt.client.isEmpty else { throw APIError.badRequest("required, a non-empty string", path: "body.client") }
        guard receipt.version >= 0 else { throw APIError.badRequest("must be a whole number, at least 0", path: "body.version") }
        tracker.record(.applied, environment: environment, client: receipt.client, version: receipt.version)
        return Response(status: .noContent)
    }
}

/// `POST /api/v1/sdk/applied`.
struct AppliedReceipt: Decodable {
    /// The client's id, as it names itself on the stream.
    let client: String
    /// The version it now serves.
    let version: Int64
}
