import Hummingbird
import SwitchyardCore
import SwitchyardGuard
import SwitchyardStore

/// The admin API of the guardrails under `/api/v1/flags/{key}`: kill rules, the variant report
/// and rollouts.
struct GuardrailController {
    let store: any FlagStore & GuardrailStore
    let ingestor: EventIngestor
    let watch: KillRuleWatch
    let supervisor: RolloutSupervisor
    let clock: WallClock

    func addRoutes(to group: RouterGroup<SwitchyardRequestContext>) {
        group.get("flags/{key}/rules", use: getRules)
        group.put("flags/{key}/rules", use: putRules)
        group.delete("flags/{key}/rules", use: deleteRules)
        group.post("flags/{key}/rules/reset", use: resetRules)
        group.get("flags/{key}/report", use: report)
        group.post("flags/{key}/rollout", use: startRollout)
        group.get("flags/{key}/rollout", use: rolloutStatus)
        group.post("flags/{key}/rollout/pause") { request, context in try await command(.pause, request, context) }
        group.post("flags/{key}/rollout/resume") { request, context in try await command(.resume, request, context) }
        group.post("flags/{key}/rollout/abort") { request, context in try await command(.abort, request, context) }
    }

    // MARK: Helpers

    func target(_ request: Request, _ context: SwitchyardRequestContext) throws -> (environment: String, key: String) {
        (AdminController.environment(request), try request.pathParameter("key", context: context))
    }

    func flag(_ key: String, in environment: String) async throws -> StoredFlag {
        try await store.existingFlag(key, in: environment)
    }
}
