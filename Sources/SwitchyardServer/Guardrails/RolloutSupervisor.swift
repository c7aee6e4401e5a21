import Logging
import SwitchyardCore
import SwitchyardGuard
import SwitchyardStore

/// Runs the rollouts: one ``RolloutMachine`` per flag, stepped over the fleet's aggregates.
///
/// Every transition is written in this order: the flag's new targeting through the
/// ``FlagWriter`` (so a refused change records nothing), then the machine's state with an audit
/// entry carrying the transition's statistics. A rollback caused by a regression also kills the
/// flag and alerts the webhooks, as do holds and warnings. A new stage restarts the per-unit
/// analysis. While the flag is killed the rollout waits. State read back at start resumes each
/// plan where it was.
actor RolloutSupervisor {
    /// A person's command.
    enum Command: String, Sendable {
        case pause, resume, abort
    }

    private let store: any FlagStore & GuardrailStore
    private let writer: FlagWriter
    private let ingestor: EventIngestor
    private let alerts: AlertQueue
    private let logger: Logger
    /// Environment → flag → machine.
    private var machines: [String: [String: RolloutMachine]] = [:]

    init(store: any FlagStore & GuardrailStore, writer: FlagWriter, ingestor: EventIngestor, alerts: AlertQueue, logger: Logger) {
        self.store = store
        self.writer = writer
        self.ingestor = ingestor
        self.alerts = alerts
        self.logger = logger
    }

    /// Reads an environment's rollouts from the store.
    func load(_ environment: String) async throws {
        var loaded: [String: RolloutMachine] = [:]
        for stored in try await store.rollouts(in: environment) {
            loaded[stored.flag] = try RolloutMachine(plan: try RolloutPlan(json: stored.plan), state: try RolloutState(json: stored.state))
        }
        machines[environment] = loaded
    }

    /// The machine of a flag's rollout, if any.
    func machine(of flag: String, in environment: String) -> RolloutMachine? {
        machines[environment]?[flag]
    }

    /// Starts a plan; refused while another rollout of the flag runs or is paused.
    func start(_ plan: RolloutPlan, in environment: String, by author: Author, now: Timestamp) async throws -> RolloutMachine {
        if let current = machines[environment]?[plan.flag], current.state.phase == .running || current.state.phase == .paused {
            throw APIError(.conflict, code: "conflict", "flag \(plan.flag) already has a \(current.state.phase.rawValue) rollout; abort it first")
        }
        var machine = try RolloutMachine(plan: plan)
        let transition = try machine.start(now: now)
        try await apply(transition, of: machine, in: environment, by: author)
        return machine
    }

    /// Pauses, resumes or aborts a flag's rollout.
    func command(_ command: Command, flag: String, in environment: String, by author: Author, now: Timestamp) async throws -> RolloutMachine {
        guard var machine = machines[environment]?[flag] else { throw APIError(StoreError.notFound("a rollout of flag \(flag)")) }
        let transition =
            switch command {
            case .pause: try machine.pause(now: now)
            case .resume: try machine.resume(now: now)
            case .abort: try machine.abort(now: now)
            }
        try await apply(transition, of: machine, in: environment, by: author)
        return machine
    }

    /// Steps every running rollout once; a rollout whose flag is killed (or gone) waits.
    func step(now: Timestamp) async {
        for environment in machines.keys.sorted() {
            let aggregator = await ingestor.aggregator(of: environment)
            let flags: [String: StoredFlag]
            do {
                flags = try await store.state(of: environment).flags
            } catch {
                logger.error("rollout step failed", metadata: ["environment": .string(environment), "error": "\(error)"])
                continue
            }
            for flag in (machines[environment] ?? [:]).keys.sorted() {
                guard var machine = machines[environment]?[flag], machine.state.phase == .running, let stored = flags[flag], stored.kill == nil else {
                    continue
                }
                let transitions = machine.step(now: now, report: machine.report(aggregator, now: now))
                guard !transitions.isEmpty else { continue }
                do {
                    var replay = machines[environment]![flag]!
                    for transition in transitions {
                        replay = try RolloutMachine(plan: replay.plan, state: transition.to)
                        try await apply(transition, of: replay, in: environment, by: FlagWriter.guardrails)
                    }
                } catch {
                    logger.error("rollout step failed", metadata: ["environment": .string(environment), "flag": .string(flag), "error": "\(error)"])
                }
            }
        }
    }

    /// Writes a transition: targeting, then state and audit, then kill and alert for a regression.
    private func apply(_ transition: RolloutTransition, of machine: RolloutMachine, in environment: String, by author: Author) async throws {
        let flag = machine.plan.flag
        if let targeting = transition.targeting {
            guard let stored = try await store.state(of: environment).flags[flag], case .object(var definition) = stored.definition else {
                throw APIError(StoreError.notFound("flag \(flag)"))
            }
            definition["targeting"] = targeting
            try await writer.apply(
                .updateFlag(key: flag, definition: .object(definition), expectedVersion: nil), to: environment, by: author,
                reason: "rollout \(transition.kind.rawValue): \(transition.reason)")
        }
        try await store.saveRollout(
            StoredRollout(environment: environment, flag: flag, plan: machine.plan.json, state: machine.state.json), by: author,
            action: "rollout.\(transition.kind.rawValue)", details: transition.json, reason: transition.reason)
        machines[environment, default: [:]][flag] = machine
        logger.notice(
            "rollout \(transition.kind.rawValue)",
            metadata: ["environment": .string(environment), "flag": .string(flag), "reason": .string(transition.reason)])
        if transition.beginsStage { try await ingestor.startAnalysis(of: flag, in: environment) }
        if transition.kind == .held || transition.kind == .warned {
            alerts.send(["event": .string("rollout.\(transition.kind.rawValue)"), "environment": .string(environment), "flag": .string(flag), "transition": transition.json])
        }
        if transition.kind == .rolledBack, !transition.evidence.isEmpty {
            let killed = try await store.state(of: environment).flags[flag]?.kill != nil
            if !killed {
                try await writer.apply(.kill(key: flag), to: environment, by: author, reason: "rollout rolled back: \(transition.reason)")
            }
            alerts.send(["event": "rollout.rolledBack", "environment": .string(environment), "flag": .string(flag), "transition": transition.json])
        }
    }
}
