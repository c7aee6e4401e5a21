import Logging
import ServiceLifecycle
import SwitchyardStore

/// Runs the kill-rule and rollout services on one server of those sharing a store: while this server
/// holds the ``ExclusiveRole``. On taking it, the rules (with their CUSUM progress) and rollouts are
/// read back from the store, so a server taking over from one that died resumes where it stopped.
struct ControllerService: Service {
    let role: any ExclusiveRole
    let guardrails: Guardrails
    let store: any FlagStore
    let logger: Logger

    func run() async throws {
        let guardrails = self.guardrails
        let store = self.store
        let logger = self.logger
        await cancelWhenGracefulShutdown {
            await role.whileHeld {
                for environment in try await store.environments().map(\.name) {
                    try await guardrails.watch.load(environment)
                    try await guardrails.supervisor.load(environment)
                }
                logger.info("kill rules and rollouts resumed from the store")
                try await withThrowingDiscardingTaskGroup { group in
                    for service in guardrails.controllerServices {
                        group.addTask { try await service.run() }
                    }
                }
            }
        }
    }
}
