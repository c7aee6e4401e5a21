import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import SwitchyardCore
import SwitchyardDashboard
import SwitchyardGRPC
import SwitchyardGuard
import SwitchyardPostgres
import SwitchyardServer
import SwitchyardStore

/// `switchyard serve`: the flag service over an SQLite file, or over a PostgreSQL database shared by
/// several replicas.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the flag service (admin API, OFREP, SDK sync) over an SQLite or PostgreSQL database.",
        discussion: """
            --db (or SWITCHYARD_DB) is an SQLite file, or a postgres://user[:password]@host[:port]/database \
            URL: several replicas can serve from one PostgreSQL database. On first start with an empty database an admin key is created and printed once; set \
            SWITCHYARD_ADMIN_KEY to choose it instead. --flags seeds the production environment from a \
            flagd file when it has no flags yet. --demo seeds the example flags and their segments, and \
            prints an SDK key and what to try next. --grpc-port also serves flagd's gRPC sync and \
            evaluation protocols (docs/flagd.md); --demo serves them on 8015 unless --grpc-port says otherwise.
            """
    )

    /// The shortest and longest `--rule-interval` accepted, in seconds.
    static let ruleIntervalRange = 0.05...3_600.0

    @Option(
        help: ArgumentHelp(
            "The SQLite database file (created if missing), or a postgres:// URL; SWITCHYARD_DB when left out, else switchyard.sqlite.",
            valueName: "file-or-url"))
    var db: String?

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8700

    @Option(
        help:
            "Also serve flagd's gRPC protocols (flagd.sync.v1 and flagd.evaluation.v1) on this port, on --host. Off when left out (8015 with --demo)."
    )
    var grpcPort: Int?

    @Option(
        name: .customLong("grpc-selector-key"),
        help: ArgumentHelp(
            "Serve gRPC calls that send no authorization but select exactly SELECTOR with the SDK key KEY_ID, for flagd clients that cannot send metadata (repeatable; see docs/flagd.md).",
            valueName: "KEY_ID=SELECTOR"))
    var grpcSelectorKeys: [String] = []

    @Option(help: "A flagd file that seeds the production environment while it has no flags.")
    var flags: String?

    @Option(name: .customLong("webhook"), help: "A URL that receives a JSON POST for every kill-rule trip and rollback (repeatable).")
    var webhooks: [String] = []

    @Option(help: "Seconds between two evaluations of every kill rule.")
    var ruleInterval = 1.0

    @Option(help: "The largest request body accepted, in bytes; larger ones get 413.")
    var maxBodyBytes = ServerConfiguration.defaultMaximumBodyBytes

    @Option(help: "OFREP evaluations each SDK key may request per second, also its burst; more get 429. No limit when left out.")
    var ofrepRateLimit: Int?

    @Option(help: "How many of each environment's newest changes the change feed always keeps, for streams resuming with Last-Event-ID.")
    var feedKeepChanges = ChangeRetention.defaultNewestChanges

    @Option(help: "How many days of changes the change feed keeps beyond the newest ones (0: only those).")
    var feedKeepDays = ChangeRetention.defaultDays

    @Option(help: "Hours a dashboard session may stay unused before it signs out.")
    var sessionIdleHours = 12.0

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @Option(
        help: "Seconds a connection may send nothing the server can act on (a half-sent request included) before it is closed; streams are exempt.")
    var idleTimeout = Double(ServerConfiguration.defaultIdleTimeout.components.seconds)

    @ArgumentParser.Flag(help: "Seed the example flags (examples/flags.json) while production has none, and print an SDK key and next steps.")
    var demo = false

    func validate() throws {
        guard Self.ruleIntervalRange.contains(ruleInterval) else {
            throw ValidationError(
                "--rule-interval must be between \(Self.ruleIntervalRange.lowerBound) and \(Int(Self.ruleIntervalRange.upperBound)) seconds, not \(ruleInterval)."
            )
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port).") }
        if let grpcPort {
            guard (0...65_535).contains(grpcPort) else { throw ValidationError("--grpc-port must be between 0 and 65535, not \(grpcPort).") }
            guard grpcPort != port || port == 0 else { throw ValidationError("--grpc-port must differ from --port (both are \(port)).") }
        }
        if !grpcSelectorKeys.isEmpty, effectiveGRPCPort == nil {
            throw ValidationError("--grpc-selector-key needs --grpc-port (or --demo): it binds keys for the gRPC protocols.")
        }
        _ = try selectorBindings()
        guard (1...3_600).contains(idleTimeout) else {
            throw ValidationError("--idle-timeout must be between 1 and 3600 seconds, not \(idleTimeout).")
        }
        guard (0.01...720).contains(sessionIdleHours) else {
            throw ValidationError("--session-idle-hours must be between 0.01 and 720, not \(sessionIdleHours).")
        }
        guard maxBodyBytes >= 1_024 else { throw ValidationError("--max-body-bytes must be at least 1024, not \(maxBodyBytes).") }
        if demo, flags != nil { throw ValidationError("--demo and --flags both seed production; pass one of them.") }
        if let ofrepRateLimit, ofrepRateLimit < 1 {
            throw ValidationError(
                "--ofrep-rate-limit must be at least 1 request per second per SDK key, not \(ofrepRateLimit); leave it out for no limit.")
        }
        guard feedKeepChanges >= 1 else {
            throw ValidationError("--feed-keep-changes must be at least 1 (the newest change is always kept), not \(feedKeepChanges).")
        }
        guard feedKeepDays >= 0 else {
            throw ValidationError("--feed-keep-days must be 0 or more, not \(feedKeepDays).")
        }
    }

    /// The gRPC port: `--grpc-port`, else 8015 with `--demo`, else none.
    private var effectiveGRPCPort: Int? { grpcPort ?? (demo ? 8015 : nil) }

    /// The `--grpc-selector-key` bindings.
    private func selectorBindings() throws -> [FlagdSelectorBinding] {
        try grpcSelectorKeys.map { text in
            do {
                return try FlagdSelectorBinding(text)
            } catch {
                throw ValidationError("--grpc-selector-key: \(error)")
            }
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap(
            { label, metadataProvider in
                var handler = StreamLogHandler.standardError(label: label, metadataProvider: metadataProvider)
                handler.logLevel = logLevel
                return handler
            }, metadataProvider: RequestKeyID.metadataProvider)
        let logger = Logger(label: "switchyard")
        // One clock for the store and the server, so that what each records is on the same time.
        let clock = WallClock.system
        try await checkPortIsFree(port, option: "--port")
        if let grpcPort = effectiveGRPCPort { try await checkPortIsFree(grpcPort, option: "--grpc-port") }
        let location = db ?? ProcessInfo.processInfo.environment["SWITCHYARD_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "switchyard.sqlite"
        guard PostgresURL.isPostgresURL(location) else {
            try await serve(
                try openDatabase(path: location, logger: logger, clock: clock), notifications: nil, controllerRole: nil, clock: clock, logger: logger)
            return
        }
        let url: PostgresURL
        do {
            url = try PostgresURL(location)
        } catch {
            throw AdminClient.refuse(error.description)
        }
        logger.info("serving from PostgreSQL", metadata: ["database": "\(url)"])
        do {
            try await PostgresFlagStore.withStore(url: url, logger: logger, clock: clock) { store in
                try await serve(store, notifications: store, controllerRole: store.controllerRole(), clock: clock, logger: logger)
            }
        } catch let error as PostgresStoreError {
            throw AdminClient.refuse(error.description)
        }
    }

    /// Seeds what was asked for, then serves until SIGTERM or SIGINT.
    private func serve(
        _ store: some FlagStore & GuardrailStore, notifications: (any ChangeNotifications)?, controllerRole: (any ExclusiveRole)?,
        clock: WallClock, logger: Logger
    ) async throws {
        try await ensureAdminKey(store)
        if let flags { try await seed(store, from: flags, logger: logger) }
        if demo { try await seedDemo(store, logger: logger) }

        let guardrails = GuardrailConfiguration(ruleInterval: .milliseconds(Int64(ruleInterval * 1000)), webhooks: webhooks)
        let configuration = ServerConfiguration(
            host: host, port: port, guardrails: guardrails, maximumBodyBytes: maxBodyBytes, ofrepRateLimit: ofrepRateLimit,
            changeRetention: ChangeRetention(newestChanges: feedKeepChanges, days: feedKeepDays), clock: clock,
            idleTimeout: .milliseconds(Int64(idleTimeout * 1000)),
            dashboard: DashboardConfiguration(sessionIdleTimeout: .milliseconds(Int64(sessionIdleHours * 3_600_000))),
            grpc: try effectiveGRPCPort.map {
                FlagdGRPCConfiguration(host: host, port: $0, maximumRequestBytes: maxBodyBytes, selectorBindings: try selectorBindings())
            })
        let server = SwitchyardServer(
            store: store, configuration: configuration, registry: PrometheusCollectorRegistry(), logger: logger, notifications: notifications,
            controllerRole: controllerRole)
        let application = server.makeApplication()
        let serviceGroup = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: application)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await serviceGroup.run()
    }

    /// The SQLite store; a failure names the file.
    private func openDatabase(path: String, logger: Logger, clock: WallClock) throws -> some FlagStore & GuardrailStore {
        do {
            return try GRDBFlagStore.open(path: path, logger: logger, clock: clock)
        } catch {
            throw AdminClient.refuse("cannot open the SQLite database \(path): \(error)")
        }
    }

    /// Fails before anything is created or printed when the address cannot be listened on (most
    /// often: another server already uses the port).
    private func checkPortIsFree(_ port: Int, option: String) async throws {
        guard port != 0 else { return }
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port).get()
            try await channel.close()
        } catch {
            throw AdminClient.refuse(
                "cannot listen on \(host):\(port): \(error). Is another switchyard (or another program) using it? Pass \(option) to choose another.")
        }
    }

    /// Seeds the example flags when production has none, creates an SDK key and prints what to try.
    private func seedDemo(_ store: some FlagStore, logger: Logger) async throws {
        guard try await store.state(of: Environment.production).flags.isEmpty else {
            logger.notice("production already has flags; --demo leaves them as they are")
            return
        }
        let document = try JSONValue(parsing: DemoFlags.document)
        _ = try await store.apply(.replaceDocument(document, strictness: .flagd), to: Environment.production, by: .system, reason: "serve --demo")
        let sdk = try await store.createAPIKey(APIKeyRequest(kind: .sdk, environment: Environment.production, name: "demo"), by: .system)
        let url = "http://\(host):\(port)"
        FileHandle.standardOutput.write(
            Data(
                """
                Seeded production with the example flags (ai-document-summary, summary-model-version, …).
                SDK key for production (shown only this once): \(sdk.secret)

                Try next:
                    curl -s -X POST \(url)/ofrep/v1/evaluate/flags/ai-document-summary \\
                         -H 'Authorization: Bearer \(sdk.secret)' -d '{"context": {"targetingKey": "u-1", "email": "dev@acme.com"}}'
                    switchyard rollout start ai-document-summary --dry-run --server \(url)
                    switchyard flags kill ai-document-summary --reason "trying the kill switch" --server \(url)
                flagd providers (docs/flagd.md): gRPC sync and evaluation on \(host):\(effectiveGRPCPort ?? 0), with metadata
                    authorization: Bearer \(sdk.secret)

                """.utf8))
    }

    /// Takes `SWITCHYARD_ADMIN_KEY`, or creates and prints an admin key when none exists.
    private func ensureAdminKey(_ store: some FlagStore) async throws {
        if let secret = ProcessInfo.processInfo.environment["SWITCHYARD_ADMIN_KEY"], !secret.isEmpty {
            _ = try await store.ensureAPIKey(secret: secret, APIKeyRequest(kind: .admin, environment: nil, name: "SWITCHYARD_ADMIN_KEY"))
            return
        }
        guard try await !store.apiKeys().contains(where: { $0.kind == .admin && $0.revokedAt == nil }) else { return }
        let issued = try await store.createAPIKey(APIKeyRequest(kind: .admin, environment: nil, name: "first admin"), by: .system)
        FileHandle.standardOutput.write(
            Data(
                """
                Created the first admin key (shown only this once; keep it safe):

                    \(issued.secret)

                Use it with: export SWITCHYARD_KEY=\(issued.secret)

                """.utf8))
    }

    /// Imports a flagd file into production when production has no flags.
    private func seed(_ store: some FlagStore, from path: String, logger: Logger) async throws {
        guard try await store.state(of: Environment.production).flags.isEmpty else {
            logger.notice("production already has flags; --flags ignored", metadata: ["file": .string(path)])
            return
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: try readFile(path))
        } catch let error as JSONParseError {
            throw ValidationError("\(path): \(error.description)")
        }
        do {
            _ = try await store.apply(
                .replaceDocument(json, strictness: .flagd), to: Environment.production, by: .system, reason: "seeded from \(path)")
        } catch let error as StoreError {
            throw ValidationError("\(path): \(error.description)")
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
