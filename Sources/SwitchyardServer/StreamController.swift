import Foundation
import Hummingbird
import ServiceLifecycle
import SwitchyardStore

/// The SSE streams: `/api/v1/sdk/stream` (the document, then each change) and `/ofrep/v1/stream`
/// (`refetchEvaluation` notices for OFREP bulk clients).
struct StreamController {
    enum Format {
        case sdk
        case ofrep
    }

    let store: any FlagStore
    let snapshots: SnapshotRegistry
    let hub: StreamHub
    let tracker: PropagationTracker

    /// The most changes replayed on resume before a full document is sent instead.
    static let replayLimit = 1_000

    func stream(_ request: Request, context: SwitchyardRequestContext, format: Format) throws -> Response {
        guard let key = context.apiKey, let environment = key.environment else { throw APIError.forbidden("an SDK key is required") }
        let client = Self.clientID(request)
        let lastEventID = request.headers[.lastEventID].flatMap { Int64(Substring($0).trimmingSpaces) }
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                try await request.body.consumeWithCancellationOnInboundClose { _ in
                    let subscription = hub.subscribe(environment: environment, client: client, keyID: key.id)
                    defer { subscription.cancel() }
                    var sent: Int64
                    if let lastEventID { tracker.record(.applied, environment: environment, client: client, version: lastEventID) }
                    switch format {
                    case .sdk:
                        let opening = try await opening(environment: environment, lastEventID: lastEventID)
                        for buffer in opening.events { try await writer.write(buffer) }
                        sent = opening.version
                    case .ofrep:
                        sent = snapshots[environment]?.version ?? 0
                        try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                    }
                    tracker.record(.delivered, environment: environment, client: client, version: sent)
                    // Graceful shutdown ends the subscription, which ends the loop; cheaper per event than
                    // merging the stream with a shutdown signal.
                    try await withGracefulShutdownHandler {
                        for await message in subscription.messages {
                            if let version = message.version {
                                guard version > sent else { continue }
                                sent = version
                            }
                            try await writer.write(format == .sdk ? message.sdk : message.ofrep)
                            if let version = message.version {
                                tracker.record(.delivered, environment: environment, client: client, version: version)
                            }
                        }
                    } onGracefulShutdown: {
                        subscription.cancel()
                    }
                }
                try await writer.finish(nil)
            })
    }

    /// What a stream starts with: the changes after `Last-Event-ID` when they can all be replayed,
    /// otherwise the whole document (too many changes, or some of them pruned from the feed).
    private func opening(environment: String, lastEventID: Int64?) async throws -> (events: [ByteBuffer], version: Int64) {
        guard let snapshot = snapshots[environment] else { throw APIError(.serviceUnavailable, code: "not_ready", "not loaded") }
        if let lastEventID, lastEventID > 0, lastEventID <= snapshot.version {
            let changes = try await store.changes(in: environment, after: lastEventID, limit: Self.replayLimit)
            // Read after the changes: a pruning in between can only make the replay look impossible.
            let complete = try await store.changesPrunedThrough(in: environment) <= lastEventID
            let reached = changes.last?.version ?? lastEventID
            if complete, changes.count < Self.replayLimit, reached >= snapshot.version {
                return (changes.map { StreamMessage(change: $0).sdk }, reached)
            }
        }
        return ([StreamMessage.document(snapshot)], snapshot.version)
    }

    /// The client id from `?client=` or `X-Switchyard-Client`, else a random one.
    static func clientID(_ request: Request) -> String {
        if let client = request.uri.queryParameters["client"].map(String.init), !client.isEmpty { return client }
        if let client = request.headers[.switchyardClient], !client.isEmpty { return client }
        return "anonymous-" + UUID().uuidString.lowercased()
    }
}
