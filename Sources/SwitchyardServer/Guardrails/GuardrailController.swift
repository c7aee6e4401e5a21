import Hummingbird
import NIOCore
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
    let clock: GuardrailClock

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

    // MARK: Kill rules

    @Sendable func getRules(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let (environment, key) = try target(request, context)
        return .json(rulesBody(key, await watch.rules(of: key, in: environment)))
    }

    /// The body is rule text, one rule per line (`text/plain`), or JSON: an array (or
    /// `{"rules": [...]}`) whose items are rule texts or rule objects.
    @Sendable func putRules(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let (environment, key) = try target(request, context)
        _ = try await flag(key, in: environment)
        let rules = try await Self.parseRules(request, context: context)
        let stored = try await watch.replace(rules, of: key, in: environment, by: try author(context), now: clock.now)
        return .json(rulesBody(key, stored))
    }

    @Sendable func deleteRules(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let (environment, key) = try target(request, context)
        let stored = try await watch.replace([], of: key, in: environment, by: try author(context), now: clock.now)
        return .json(rulesBody(key, stored))
    }

    @Sendable func resetRules(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let (environment, key) = try target(request, context)
        let stored = try await watch.reset(key, in: environment, by: try author(context), now: clock.now)
        return .json(rulesBody(key, stored))
    }

    private func rulesBody(_ key: String, _ rules: [StoredKillRule]) -> JSONValue {
        [
            "flag": .string(key),
            "rules": .array(
                rules.map { stored in
                    var members: [String: JSONValue] = ["rule": stored.rule, "armedAt": .integer(stored.armedAt)]
                    if let rule = try? KillRule(json: stored.rule) { members["text"] = .string(rule.text) }
                    if let trip = stored.trip { members["trip"] = trip.details }
                    return .object(members)
                }),
        ]
    }

    static func parseRules(_ request: Request, context: SwitchyardRequestContext) async throws -> [KillRule] {
        let bytes = try await request.bodyBytes(context: context)
        let isText = request.headers[.contentType]?.lowercased().hasPrefix("text/plain") == true
        if isText {
            let text = String(decoding: bytes, as: UTF8.self)
            var rules: [KillRule] = []
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = String(line.trimmingSpaces)
                guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
                do {
                    rules.append(try KillRule(parsing: trimmed))
                } catch {
                    throw Self.invalidRule(at: "line \(index + 1)", error)
                }
            }
            return rules
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            throw APIError.badRequest("the body is not valid JSON (send text/plain for rule text): \(error.description)", path: "body")
        }
        guard let items = json.arrayValue ?? json["rules"]?.arrayValue else {
            throw APIError.badRequest("must be an array of rules, or an object with a rules array", path: "body")
        }
        var rules: [KillRule] = []
        for (index, item) in items.enumerated() {
            do throws(KillRuleError) {
                if let text = item.stringValue {
                    rules.append(try KillRule(parsing: text))
                } else {
                    rules.append(try KillRule(json: item))
                }
            } catch {
                throw Self.invalidRule(at: "rules[\(index)]", error)
            }
        }
        return rules
    }

    /// 400 naming the rule (`line 2`, `rules[1]`) and, in the message, the column or member.
    private static func invalidRule(at place: String, _ error: KillRuleError) -> APIError {
        APIError(
            .badRequest, code: "invalid_rule", "\(place): \(error.description)", problems: [DocumentProblem(path: place, message: error.description)])
    }

    // MARK: Report

    /// The variant report; `?format=table` answers the aligned text table, `?control=` names the control.
    @Sendable func report(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let (environment, key) = try target(request, context)
        let flag = try await flag(key, in: environment)
        let now = clock.now
        let aggregator = await ingestor.aggregator(of: environment)
        let report: VariantReport
        if let machine = await supervisor.machine(of: key, in: environment), machine.state.phase == .running || machine.state.phase == .paused {
            report = machine.report(aggregator, now: now)
        } else {
            guard let control = request.uri.queryParameters["control"].map(String.init) ?? flag.safeVariant else {
                throw APIError.badRequest("the flag has no safeVariant or defaultVariant; pass ?control=", path: "control")
            }
            report = VariantReport(aggregator, flag: key, control: control, weights: flag.fractionalWeights, now: now)
        }
        if request.uri.queryParameters["format"] == "table" {
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: report.table + "\n")))
        }
        return .json(report.json)
    }

    // MARK: Rollouts

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
                throw APIError.badRequest("flag \(key) has no variant \(variant)", path: "body")
            }
            let machine = try await supervisor.start(plan, in: environment, by: try author(context), now: clock.now)
            return .json(.object(status(machine)), status: .created)
        } catch let error as RolloutError {
            throw APIError.badRequest(error.description, path: "body")
        }
    }

    @Sendable func rolloutStatus(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let (environment, key) = try target(request, context)
        guard let machine = await supervisor.machine(of: key, in: environment) else {
            throw APIError(StoreError.notFound("a rollout of flag \(key)"))
        }
        var body = status(machine)
        if machine.state.phase == .running || machine.state.phase == .paused {
            body["report"] = machine.report(await ingestor.aggregator(of: environment), now: clock.now).json
        }
        return .json(.object(body))
    }

    func command(_ command: RolloutSupervisor.Command, _ request: Request, _ context: SwitchyardRequestContext) async throws -> Response {
        let (environment, key) = try target(request, context)
        do {
            let machine = try await supervisor.command(command, flag: key, in: environment, by: try author(context), now: clock.now)
            return .json(.object(status(machine)))
        } catch let error as RolloutError {
            throw APIError(.conflict, code: "conflict", error.description)
        }
    }

    private func status(_ machine: RolloutMachine) -> [String: JSONValue] {
        let stage = machine.plan.stages[machine.state.stage]
        return [
            "flag": .string(machine.plan.flag), "plan": machine.plan.json, "state": machine.state.json, "stage": .string(stage.name),
            "treatmentPercent": .double(machine.plan.gates(atStage: machine.state.stage).percent),
        ]
    }

    private func defaultPlan(_ flag: StoredFlag, _ request: Request) throws -> RolloutPlan {
        guard let control = request.uri.queryParameters["control"].map(String.init) ?? flag.safeVariant else {
            throw APIError.badRequest("the flag has no safeVariant or defaultVariant; pass ?control=", path: "control")
        }
        let others = flag.variantNames.filter { $0 != control }
        guard let treatment = request.uri.queryParameters["treatment"].map(String.init) ?? (others.count == 1 ? others[0] : nil) else {
            throw APIError.badRequest("the flag has \(others.count) variants besides \(control); pass ?treatment=", path: "treatment")
        }
        return .standard(flag: flag.key, control: control, treatment: treatment)
    }

    // MARK: Helpers

    private func target(_ request: Request, _ context: SwitchyardRequestContext) throws -> (environment: String, key: String) {
        (AdminController.environment(request), try request.pathParameter("key", context: context))
    }

    private func flag(_ key: String, in environment: String) async throws -> StoredFlag {
        do {
            guard let flag = try await store.state(of: environment).flags[key] else { throw StoreError.notFound("flag \(key)") }
            return flag
        } catch let error as StoreError {
            throw APIError(error)
        }
    }

    private func author(_ context: SwitchyardRequestContext) throws -> Author {
        guard let key = context.apiKey else { throw APIError.missingKey }
        return key.author
    }
}
