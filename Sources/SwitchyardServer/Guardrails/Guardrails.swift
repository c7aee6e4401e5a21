import Hummingbird
import Logging
import ServiceLifecycle
import SwitchyardGuard
import SwitchyardStore

/// The guardrail layer wired into the server: event ingestion, kill rules, reports and rollouts,
/// and the services that evaluate rules, step rollouts and deliver webhooks.
struct Guardrails: Sendable {
    let configuration: GuardrailConfiguration
    let clock: WallClock
    let ingestor: EventIngestor
    let watch: KillRuleWatch
    let supervisor: RolloutSupervisor
    let alerts: AlertQueue
    let store: any FlagStore & GuardrailStore
    let metrics: ServerMetrics
    let logger: Logger

    init(
        store: any FlagStore & GuardrailStore, writer: FlagWriter, locks: RolloutLocks, configuration: GuardrailConfiguration, clock: WallClock,
        logger: Logger
    ) {
        self.configuration = configuration
        self.clock = clock
        self.store = store
        self.metrics = writer.metrics
        self.logger = logger
        alerts = AlertQueue()
        ingestor = EventIngestor(store: store, retention: configuration.retention, logger: logger)
        watch = KillRuleWatch(store: store, writer: writer, ingestor: ingestor, alerts: alerts, logger: logger)
        supervisor = RolloutSupervisor(store: store, writer: writer, ingestor: ingestor, alerts: alerts, locks: locks, logger: logger)
    }

    /// Reads every environment's aggregates, rules and rollouts back from the store.
    func prepare(environments: [String]) async throws {
        let now = clock.now
        for environment in environments {
            try await ingestor.load(environment, now: now)
            try await watch.load(environment)
            try await supervisor.load(environment)
            // A replica of a shared store starts with no rows of its own: it tags its per-unit rows with
            // the running stages from the start.
            if store.fleetAggregates != nil {
                await ingestor.follow(rules: [], stages: await supervisor.stageStarts(in: environment), in: environment, now: now)
            }
        }
    }

    /// Reads an environment's rules and rollouts again after another server changed them, and
    /// follows what they imply for this server's ingestion (re-arm minutes, analysis periods).
    func reload(_ environment: String) async throws {
        try await watch.load(environment)
        try await supervisor.load(environment)
        await ingestor.follow(
            rules: try await store.killRules(in: environment), stages: await supervisor.stageStarts(in: environment), in: environment,
            now: clock.now)
    }

    /// Adds `POST /api/v1/events` behind SDK keys and the admin endpoints behind admin keys.
    func addRoutes(to router: Router<SwitchyardRequestContext>, snapshots: SnapshotRegistry, sdk: APIKeyMiddleware, admin: APIKeyMiddleware) {
        EventsController(
            ingestor: ingestor, supervisor: supervisor, snapshots: snapshots, clock: clock, retention: configuration.retention,
            maximumArms: configuration.maximumArmsPerEnvironment, metrics: metrics, logger: logger
        )
        .addRoutes(to: router.group("api/v1/events").add(middleware: sdk))
        controller.addRoutes(to: router.group("api/v1").add(middleware: admin))
    }

    /// The admin endpoints' logic, which the dashboard calls too.
    var controller: GuardrailController {
        GuardrailController(store: store, ingestor: ingestor, watch: watch, supervisor: supervisor, clock: clock)
    }

    /// The background services: rule evaluation, rollout steps and webhook delivery. With a
    /// `controllerRole` (a store shared by several servers) rules and rollouts run only while this
    /// server holds it.
    func services(controllerRole: (any ExclusiveRole)?) -> [any Service] {
        let controller: [any Service] =
            if let controllerRole { [ControllerService(role: controllerRole, guardrails: self, store: store, logger: logger)] } else {
                controllerServices
            }
        return controller + [
            WebhookService(
                queue: alerts, webhooks: configuration.webhooks, attempts: configuration.webhookAttempts, backoff: configuration.webhookBackoff,
                timeout: configuration.webhookTimeout, logger: logger)
        ]
    }

    /// Rule evaluation and rollout steps.
    var controllerServices: [any Service] {
        [
            KillRuleService(watch: watch, clock: clock, interval: configuration.ruleInterval),
            RolloutService(supervisor: supervisor, clock: clock, interval: configuration.rolloutInterval),
        ]
    }
}
