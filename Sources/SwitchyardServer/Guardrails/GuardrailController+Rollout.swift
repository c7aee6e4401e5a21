import Hummingbird
import SwitchyardCore
import SwitchyardGuard
import SwitchyardStore

extension GuardrailController {
    /// Starts a plan: the body is a plan (its `flag` defaults to the path's), or empty for the
    /// default plan between `?control=` (default: the safe variant) and `?treatment=` (default:
    /// the only other variant).
    @Sendable func startRollout(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let (environment, key) = try target(request, context)
        let flag = try await flag(key, in: environment)
        let body = try await request.json(context: context, allowEmpty: true)
        let plan: RolloutPlan
        do {
            if body == .object([:]) {
                plan = try defaultPlan(flag, request)
            } else {
                guard case .object(var members) = body else { throw APIError.badRequest("a plan must be a JSON object", path: "body") }
                if let named = members["flag"], named != .string(key) {
                    throw APIError.badRequest("does not match the key in the path", path: "body.flag")
                }
                members["flag"] = .string(key)
                plan = try RolloutPlan(json: .object(members))
            }
            for variant in [plan.control, plan.treatment] where !flag.variantNames.contains(variant) {
                throw APIError.badRequest(
                    "flag \(key) has no variant \(variant)\(Suggestion.hint(for: variant, among: flag.variantNames))", path: "body")
            }
            if request.uri.queryParameters["dryRun"] == "true" {
                return try RolloutDryRun(try await supervisor.draft(plan, in: environment)).response(from: request, context: context)
            }
            let machine = try await supervisor.start(plan, in: environment, by: try context.author, now: clock.now)
            return .json(try await status(machine, in: environment), status: .created)
        } catch let error as RolloutError {
            throw APIError.badRequest(error.description, path: "body")
        }
    }

    @Sendable func rolloutStatus(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let (environment, key) = try target(request, context)
        guard let machine = await supervisor.machine(of: key, in: environment) else {
            throw StoreError.notFound("a rollout of flag \(key)")
        }
        return .json(try await status(machine, in: environment))
    }

    func command(_ command: RolloutSupervisor.Command, _ request: Request, _ context: SwitchyardRequestContext) async throws -> Response {
        let (environment, key) = try target(request, context)
        do {
            let machine = try await supervisor.command(command, flag: key, in: environment, by: try context.author, now: clock.now)
            return .json(try await status(machine, in: environment))
        } catch let error as RolloutError {
            throw APIError(.conflict, code: "conflict", error.description)
        }
    }

    /// The rollout's status (``RolloutMachine/status(assessment:killed:now:)``), with the comparison
    /// report while it runs or is paused.
    func status(_ machine: RolloutMachine, in environment: String) async throws -> JSONValue {
        let now = clock.now
        let killed = try await store.flag(machine.plan.flag, in: environment)?.kill != nil
        guard machine.state.phase == .running || machine.state.phase == .paused else {
            return machine.status(assessment: nil, killed: killed, now: now)
        }
        let report = machine.report(try await ingestor.aggregates(of: environment, now: now).aggregator, now: now)
        guard case .object(var body) = machine.status(assessment: machine.assess(now: now, report: report), killed: killed, now: now) else {
            return .null
        }
        body["report"] = report.json
        return .object(body)
    }

    func defaultPlan(_ flag: StoredFlag, _ request: Request) throws -> RolloutPlan {
        guard let control = request.uri.queryParameters["control"].map(String.init) ?? flag.safeVariant else {
            throw APIError.badRequest("the flag has no safeVariant or defaultVariant; pass ?control=", path: "control")
        }
        let others = flag.variantNames.filter { $0 != control }
        guard let treatment = request.uri.queryParameters["treatment"].map(String.init) ?? (others.count == 1 ? others[0] : nil) else {
            throw APIError.badRequest("the flag has \(others.count) variants besides \(control); pass ?treatment=", path: "treatment")
        }
        return .standard(flag: flag.key, control: control, treatment: treatment)
    }
}
