import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardGuard
import SwitchyardStore

/// The admin API under `/api/v1`: flags, segments, environments, import/export, audit, keys, propagation.
struct AdminController {
    let store: any FlagStore
    let feed: ChangeFeed
    let hub: StreamHub
    let tracker: PropagationTracker
    let keys: KeyCache
    let metrics: ServerMetrics
    let locks: RolloutLocks
    /// Where "now" is read: the stale-flags report.
    let clock: WallClock

    func addRoutes(to group: RouterGroup<SwitchyardRequestContext>) {
        group.get("flags", use: listFlags)
        group.post("flags", use: createFlag)
        group.get("flags/stale", use: staleFlags)
        group.get("flags/{key}", use: getFlag)
        group.put("flags/{key}", use: updateFlag)
        group.delete("flags/{key}", use: deleteFlag)
        group.post("flags/{key}/enable") { request, context in try await setEnabled(request, context, true) }
        group.post("flags/{key}/disable") { request, context in try await setEnabled(request, context, false) }
        group.post("flags/{key}/kill", use: kill)
        group.post("flags/{key}/unkill", use: unkill)
        group.get("flags/{key}/propagation", use: propagation)
        group.get("segments", use: listSegments)
        group.get("segments/{name}", use: getSegment)
        group.put("segments/{name}", use: putSegment)
        group.delete("segments/{name}", use: deleteSegment)
        group.get("environments", use: listEnvironments)
        group.post("environments", use: createEnvironment)
        group.post("import", use: importDocument)
        group.get("export", use: exportDocument)
        group.get("audit", use: audit)
        group.get("keys", use: listKeys)
        group.post("keys", use: createKey)
        group.delete("keys/{id}", use: revokeKey)
    }
}
