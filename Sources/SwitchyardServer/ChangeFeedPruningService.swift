import Foundation
import Logging
import ServiceLifecycle
import SwitchyardGuard
import SwitchyardStore

/// Prunes every environment's change feed as ``ChangeRetention`` says: once at start, then at its
/// interval. A failed pruning is logged and retried at the next interval; serving is unaffected.
struct ChangeFeedPruningService: Service {
    let store: any FlagStore
    let retention: ChangeRetention
    let clock: WallClock
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await prune()
                do {
                    try await Task.sleep(for: retention.interval)
                } catch {
                    return
                }
            }
        }
    }

    private func prune() async {
        let cutoff = clock.date.addingTimeInterval(-Double(retention.days) * 86_400)
        do {
            let deleted = try await store.pruneChanges(keepingNewest: retention.newestChanges, before: cutoff)
            if deleted > 0 {
                logger.info(
                    "change feed pruned",
                    metadata: ["deleted": "\(deleted)", "kept_newest": "\(retention.newestChanges)", "kept_days": "\(retention.days)"])
            }
        } catch {
            // Cancelled by shutdown: not a failure.
            guard !Task.isCancelled else { return }
            logger.error("change feed pruning failed", metadata: ["error": "\(error)"])
        }
    }
}
