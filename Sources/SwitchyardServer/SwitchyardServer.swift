import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import SwitchyardDashboard
import SwitchyardGRPC
import SwitchyardGuard
import SwitchyardStore

/// The flag service: routes, authentication, snapshots, the SSE hub and their background services,
/// over any ``FlagStore``.
package struct SwitchyardServer: Sendable {
    let store: any FlagStore
    let configuration: ServerConfiguration
    let logger: Logger
    let metrics: ServerMetrics
    let snapshots = SnapshotRegistry()
    let hub: StreamHub
    let feed: ChangeFeed
    let tracker: PropagationTracker
    let locks = RolloutLocks()
    let keys: KeyCache
    let budgetLog: BudgetExceededLog
    /// Event ingestion, kill rules, reports and rollouts, over the same store.
    let guardrails: Guardrails
    /// The web dashboard at `/` and `/ui`, with its sessions.
    let dashboard: Dashboard
    /// Present when the store is shared with other servers.
    let notifications: (any ChangeNotifications)?
    /// Present when the store is shared with other servers: who runs the kill rules and rollouts.
    let controllerRole: (any ExclusiveRole)?

    /// A server over a store, which keeps the guardrails' state too; metrics go to `registry`. The
    /// snapshots and the guardrails' state are loaded from the store when the application starts,
    /// before it listens (``makeApplication(onServerRunning:)``). A store shared by several servers passes its
    /// `notifications`, so that changes made through the others reach this server's streams, and a
    /// `controllerRole`, so that one server at a time runs the kill rules and rollouts.
    package init(
        store: any FlagStore & GuardrailStore, configuration: ServerConfiguration, registry: PrometheusCollectorRegistry, logger: Logger,
        notifications: (any ChangeNotifications)? = nil, controllerRole: (any ExclusiveRole)? = nil
    ) {
        self.store = store
        self.notifications = notifications
        self.controllerRole = controllerRole
        self.configuration = configuration
        self.logger = logger
        self.metrics = ServerMetrics(registry: registry)
        self.tracker = PropagationTracker(clock: configuration.clock)
        self.hub = StreamHub(metrics: metrics)
        self.feed = ChangeFeed(store: store, snapshots: snapshots, hub: hub, logger: logger)
        self.keys = KeyCache(store: store, lifetime: configuration.keyCacheLifetime)
        self.budgetLog = BudgetExceededLog(logger: logger)
        let writer = FlagWriter(store: store, feed: feed, metrics: metrics)
        let locks = self.locks
        self.guardrails = Guardrails(
            store: store, writer: writer, locks: locks, configuration: configuration.guardrails, clock: configuration.clock, logger: logger)
        let admin = AdminController(
            store: store, feed: feed, hub: hub, tracker: tracker, keys: keys, metrics: metrics, locks: locks, clock: configuration.clock)
        self.dashboard = Dashboard(
            backend: ServerDashboardBackend(admin: admin, guardrails: guardrails), configuration: configuration.dashboard,
            clock: configuration.clock)
    }

    /// The admin API's logic, shared by its routes and the dashboard.
    var admin: AdminController {
        AdminController(
            store: store, feed: feed, hub: hub, tracker: tracker, keys: keys, metrics: metrics, locks: locks, clock: configuration.clock)
    }

    /// Loads every environment's snapshot and guardrail state. ``makeApplication(onServerRunning:)``
    /// runs it before the server listens; an application built around ``makeRouter()`` calls it itself.
    package func prepare() async throws {
        let environments = try await store.environments().map(\.name)
        for environment in environments {
            try await feed.load(environment)
        }
        try await guardrails.prepare(environments: environments)
    }

    /// The router with every endpoint.
    package func makeRouter() -> Router<SwitchyardRequestContext> {
        let router = Router(context: SwitchyardRequestContext.self)
        router.add(middleware: BodyLimitMiddleware(limit: configuration.maximumBodyBytes))
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        HealthController(store: store, snapshots: snapshots, metrics: metrics, notifications: notifications).addRoutes(to: router)
        let streams = StreamController(store: store, snapshots: snapshots, hub: hub, tracker: tracker)
        let ofrep = router.group("ofrep/v1").add(middleware: CORS.middleware())
        CORS.addPreflightRoutes(["evaluate/flags/{key}", "evaluate/flags", "stream"], to: ofrep)
        let limiter = configuration.ofrepRateLimit.map { OFREPRateLimiter(rate: $0, clock: { [clock = configuration.clock] in clock.date }) }
        OFREPController(
            snapshots: snapshots, metrics: metrics, streams: streams, limiter: limiter, budgetLog: budgetLog, clock: configuration.clock
        )
        .addRoutes(to: ofrep.add(middleware: APIKeyMiddleware(kind: .sdk, keys: keys)))
        let sdk = router.group("api/v1/sdk").add(middleware: CORS.middleware())
        CORS.addPreflightRoutes(["flags", "stream", "applied"], to: sdk)
        SDKController(snapshots: snapshots, tracker: tracker, streams: streams)
            .addRoutes(to: sdk.add(middleware: APIKeyMiddleware(kind: .sdk, keys: keys)))
        admin.addRoutes(to: router.group("api/v1").add(middleware: APIKeyMiddleware(kind: .admin, keys: keys)))
        guardrails.addRoutes(
            to: router, snapshots: snapshots, sdk: APIKeyMiddleware(kind: .sdk, keys: keys), admin: APIKeyMiddleware(kind: .admin, keys: keys))
        dashboard.addRoutes(to: router)
        return router
    }

    /// The flagd gRPC server when ``ServerConfiguration/grpc`` asks for one: it listens once `prepared`
    /// returns (``prepare()`` has loaded the snapshots; it must also return when cancelled), and
    /// `onListening` gets its port.
    package func makeGRPCServer(
        prepared: @escaping @Sendable () async -> Void = {}, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> FlagdGRPCServer? {
        guard let grpc = configuration.grpc else { return nil }
        let backend = ServerFlagdBackend(
            keys: keys, snapshots: snapshots, hub: hub, tracker: tracker, metrics: metrics, budgetLog: budgetLog, clock: configuration.clock)
        return FlagdGRPCServer(configuration: grpc, backend: backend, logger: logger, ready: prepared, onListening: onListening)
    }

    /// The application: the HTTP server plus the heartbeat and change-feed pruning services (and the
    /// guardrails', the flagd gRPC server when configured, and for a shared store the one that
    /// follows other servers' changes), shut down gracefully on SIGTERM/SIGINT when run with
    /// `runService()`. `onGRPCListening` gets the gRPC port. The server loads the snapshots and
    /// guardrail state from the store before it (and the gRPC server) listens; if that fails, the
    /// application ends with the error.
    package func makeApplication(
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }, onGRPCListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        var services: [any Service] = [
            HeartbeatService(hub: hub, interval: configuration.heartbeatInterval),
            ChangeFeedPruningService(store: store, retention: configuration.changeRetention, clock: configuration.clock, logger: logger),
        ]
        // The gRPC server listens once `prepare()` has loaded the snapshots, which finishing this stream
        // says (iterating it also ends when the service is cancelled).
        let (preparation, preparationDone) = AsyncStream<Never>.makeStream()
        if let grpc = makeGRPCServer(prepared: { for await _ in preparation {} }, onListening: onGRPCListening) { services.append(grpc) }
        if let notifications {
            services.append(
                ChangeNotificationService(
                    notifications: notifications, store: store, feed: feed, guardrails: guardrails, keys: keys, hub: hub, logger: logger))
        }
        let idleTimeout = TimeAmount.milliseconds(configuration.idleTimeout.milliseconds)
        var application = Application(
            router: makeRouter(),
            server: .http1(configuration: .init(idleTimeout: idleTimeout)),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "switchyard"),
            services: services + guardrails.services(controllerRole: controllerRole),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        application.beforeServerStarts {
            try await prepare()
            preparationDone.finish()
        }
        return application
    }
}
