import Hummingbird
import Logging
import SwitchyardCore
import SwitchyardGuard

/// `POST /api/v1/events` (SDK key): a batch of guardrail events in the schema of `docs/events.md`.
///
/// Answers `200 {"batchId", "accepted", "rejected": [{"path", "message"}], "duplicate"}` once the
/// valid events are durable. Invalid events, events naming a flag, variant or segment the
/// environment does not have, and events more than five minutes ahead of the server's clock or
/// older than the retention are rejected one by one (``EventScreen``); a malformed batch, or one
/// whose timestamps are in seconds, gets 400.
struct EventsController {
    let ingestor: EventIngestor
    let supervisor: RolloutSupervisor
    let snapshots: SnapshotRegistry
    let clock: WallClock
    let retention: Duration
    let maximumArms: Int
    let metrics: ServerMetrics
    let logger: Logger

    func addRoutes(to group: RouterGroup<SwitchyardRequestContext>) {
        group.post(use: ingest)
    }

    /// The answer to a batch: how many events were accepted, and each rejected one with its place.
    struct Answer: ResponseEncodable {
        let batchId: String
        let accepted: Int
        /// `{"path", "message"}` per rejected event.
        let rejected: [JSONValue]
        /// Whether the batch id was recorded before (nothing was stored again).
        let duplicate: Bool
    }

    @Sendable func ingest(_ request: Request, context: SwitchyardRequestContext) async throws -> Answer {
        guard let environment = context.apiKey?.environment else { throw APIError.forbidden("an SDK key is required") }
        let batch: EventBatch
        do {
            batch = try EventBatch(json: try await request.json(context: context))
        } catch let error as EventValidationError {
            throw APIError.badRequest(error.description, path: error.path)
        }
        let now = clock.now
        let snapshot = snapshots[environment]
        let segmentNames = Set((snapshot?.served["$evaluators"]?.objectValue ?? [:]).keys)
        let gateNames = await supervisor.segmentGateNames(in: environment)
        let screen = EventScreen(
            now: now, retention: retention, environment: environment, document: snapshot?.document,
            segments: { flag in segmentNames.union(gateNames[flag] ?? []) }, aggregates: await ingestor.aggregator(of: environment),
            maximumArms: maximumArms)
        let (kept, screenedOut, overLimit) = try screen.screen(batch)
        if overLimit > 0 {
            metrics.eventsOverAggregateLimit.increment(by: Int64(overLimit))
            logger.warning(
                "events refused: the environment's aggregates hold the most arms allowed",
                metadata: ["environment": .string(environment), "refused": "\(overLimit)", "limit": "\(maximumArms)"])
        }
        let outcome = try await ingestor.ingest(kept, in: environment, now: now)
        let rejected: [JSONValue] = batch.rejections.map { ["path": .string($0.path), "message": .string($0.description)] } + screenedOut
        return Answer(
            batchId: batch.batchId, accepted: outcome == .accepted ? kept.events.count : 0, rejected: rejected, duplicate: outcome == .duplicate)
    }
}
