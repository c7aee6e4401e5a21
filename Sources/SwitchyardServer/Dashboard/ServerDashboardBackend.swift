import SwitchyardCore
import SwitchyardDashboard
import SwitchyardGuard
import SwitchyardStore

/// The dashboard's view of the server: the admin API's own functions (the write path with its
/// locks and audit, keys, propagation) and the guardrails' (rules, rollout status, report).
struct ServerDashboardBackend: DashboardBackend {
    let admin: AdminController
    let guardrails: Guardrails

    func key(secret: String) async throws -> APIKey? {
        try await admin.keys.key(secret: secret)
    }

    func environments() async throws -> [SwitchyardStore.Environment] {
        try await admin.store.environments()
    }

    func state(of environment: String) async throws -> EnvironmentState {
        try await Self.refusals { try await admin.store.state(of: environment) }
    }

    func apply(_ mutation: Mutation, in environment: String, by author: Author, reason: String?) async throws {
        try await Self.refusals { _ = try await admin.perform(mutation, in: environment, by: author, reason: reason) }
    }

    func createEnvironment(named name: String, by author: Author) async throws {
        try await Self.refusals { _ = try await admin.addEnvironment(named: name, by: author) }
    }

    func guardrails(of flag: String, in environment: String, withReport: Bool) async throws -> DashboardGuardrails? {
        let controller = guardrails.controller
        return try await Self.refusals {
            let rules = try JSONValueEncoder().encode(
                try await controller.rulesBody(flag, await guardrails.watch.rules(of: flag, in: environment), in: environment))
            var rollout: JSONValue?
            if let machine = await guardrails.supervisor.machine(of: flag, in: environment) {
                rollout = try await controller.status(machine, in: environment)
            }
            var report: JSONValue?
            if withReport {
                let stored = try await controller.flag(flag, in: environment)
                if let (variantReport, trips) = try await controller.variantReport(stored, in: environment, control: nil) {
                    report = Self.adding(
                        try await controller.outputLengthP95(of: flag, variants: variantReport.arms.map(\.variant), in: environment),
                        to: GuardrailController.reportBody(variantReport, trips: trips, flag: stored))
                }
            }
            return DashboardGuardrails(rules: rules, rollout: rollout, report: report)
        }
    }

    func rollout(_ command: DashboardRolloutCommand, flag: String, in environment: String, by author: Author) async throws {
        guard let command = RolloutSupervisor.Command(rawValue: command.rawValue) else {
            throw DashboardError.refused("unknown rollout command \(command.rawValue)")
        }
        try await Self.refusals {
            _ = try await guardrails.supervisor.command(command, flag: flag, in: environment, by: author, now: guardrails.clock.now)
        }
    }

    func propagation(of flag: String, in environment: String) async throws -> JSONValue? {
        try await Self.refusals { try await admin.propagation(of: flag, in: environment) }
    }

    func audit(in environment: String, flag: String?, limit: Int) async throws -> [AuditEntry] {
        try await admin.store.auditEntries(in: environment, flag: flag, limit: limit)
    }

    func apiKeys() async throws -> [APIKey] {
        try await admin.store.apiKeys()
    }

    func createKey(_ request: APIKeyRequest, by author: Author) async throws -> IssuedAPIKey {
        try await Self.refusals { try await admin.issueKey(request, by: author) }
    }

    func revokeKey(id: String, by author: Author) async throws -> APIKey {
        try await Self.refusals { try await admin.revokeKey(id: id, by: author) }
    }

    func subscribe(to environment: String, keyID: String) -> DashboardSubscription {
        let subscription = admin.hub.subscribe(environment: environment, client: "dashboard", keyID: keyID, observer: true)
        let changes = subscription.messages.map { message -> DashboardChange in
            guard let version = message.version else { return .heartbeat }
            return .change(version: version, flag: message.flag)
        }
        return DashboardSubscription(changes: changes, cancel: subscription.cancel)
    }

    /// The report with each arm's p95 output length (`values` and `sparklines` as `p95OutputChars`).
    private static func adding(_ p95: [String: (points: [Double?], hour: Double?)], to report: JSONValue) -> JSONValue {
        guard case .object(var body) = report, let arms = body["arms"]?.arrayValue else { return report }
        body["arms"] = .array(
            arms.map { arm in
                guard case .object(var members) = arm, let variant = arm["variant"]?.stringValue, let quantiles = p95[variant] else { return arm }
                var values = members["values"]?.objectValue ?? [:]
                values["p95OutputChars"] = quantiles.hour.map(JSONValue.double) ?? .null
                members["values"] = .object(values)
                var sparklines = members["sparklines"]?.objectValue ?? [:]
                sparklines["p95OutputChars"] = .array(quantiles.points.map { $0.map(JSONValue.double) ?? .null })
                members["sparklines"] = .object(sparklines)
                return .object(members)
            })
        return .object(body)
    }

    /// Runs a call, turning the refusals a person should read into ``DashboardError``.
    private static func refusals<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as APIError {
            throw error.status == .notFound
                ? DashboardError.notFound(error.message) : DashboardError.refused(error.message, problems: error.problems)
        } catch let error as StoreError {
            if case .notFound = error.kind { throw DashboardError.notFound(error.description) }
            throw DashboardError.refused(error.description, problems: error.problems)
        } catch let error as RolloutError {
            throw DashboardError.refused(error.description)
        }
    }
}
