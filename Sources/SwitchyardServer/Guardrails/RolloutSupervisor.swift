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
///
/// The plan owns only the part of the targeting where the flag's own targeting falls through
/// (``RolloutPlan/composing(_:into:)``); while a rollout runs, ``RolloutLocks`` keeps the admin API
/// from changing that targeting. A person who pauses may edit it; resume and abort then build on
/// the edited targeting.
actor RolloutSupervisor {
    /// A person's command.
    enum Command: String, Sendable {
        case pause, resume, abort
    }

    private let store: any FlagStore & GuardrailStore
    private let writer: FlagWriter
    private let ingestor: EventIngestor
    private let alerts: AlertQueue
    private let locks: RolloutLocks
    private let logger: Logger
    /// Environment → flag → machine.
    private var machines: [String: [String: RolloutMachine]] = [:]

    init(
        store: any FlagStore & GuardrailStore, writer: FlagWriter, ingestor: EventIngestor, alerts: AlertQueue, locks: RolloutLocks, logger: Logger
    ) {
        self.store = store
        self.writer = writer
        self.ingestor = ingestor
        self.alerts = alerts
        self.locks = locks
        self.logger = logger
    }

    /// Reads an environment's rollouts from the store.
    func load(_ environment: String) async throws {
        var loaded: [String: RolloutMachine] = [:]
        for stored in try await store.rollouts(in: environment) {
            let machine = try RolloutMachine(plan: try RolloutPlan(json: stored.plan), storedState: stored.state)
            loaded[stored.flag] = machine
            locks.set(Self.lockDescription(machine), flag: stored.flag, in: environment)
        }
        machines[environment] = loaded
    }

    /// When the current stage's analysis of each running rollout began (pauses do not move it), in
    /// milliseconds since the epoch.
    func stageStarts(in environment: String) -> [String: Int64] {
        (machines[environment] ?? [:]).compactMapValues { machine in
            guard machine.state.phase == .running else { return nil }
            return machine.state.analysisStartedAt?.millisecondsSinceEpoch
        }
    }

    /// The segment gate names of every flag's rollout plan: names exposures may carry.
    func segmentGateNames(in environment: String) -> [String: Set<String>] {
        (machines[environment] ?? [:]).mapValues { machine in
            Set(
                machine.plan.stages.compactMap { stage in
                    if case .segment(let name, _) = stage.gate { return name }
                    return nil
                })
        }
    }

    /// A machine for `plan` over the flag's current targeting, not started: what a start would
    /// write at each stage (a dry run).
    func draft(_ plan: RolloutPlan, in environment: String) async throws -> RolloutMachine {
        let flag = try await store.existingFlag(plan.flag, in: environment)
        return try RolloutMachine(plan: plan, base: flag.definition["targeting"])
    }

    /// The machine of a flag's rollout, if any.
    func machine(of flag: String, in environment: String) -> RolloutMachine? {
        machines[environment]?[flag]
    }

    /// Starts a plan; refused while another rollout of the flag runs or is paused.
    func start(_ plan: RolloutPlan, in environment: String, by author: Author, now: Timestamp) async throws -> RolloutMachine {
        if let current = machines[environment]?[plan.flag], current.state.phase == .running || current.state.phase == .paused {
            throw StoreError.conflict("flag \(plan.flag) already has a \(current.state.phase.rawValue) rollout; abort it first")
        }
        var machine = try await draft(plan, in: environment)
        let transition = try machine.start(now: now)
        try await apply(transition, of: machine, in: environment, by: author)
        return machine
    }

    /// Pauses, resumes or aborts a flag's rollout.
    func command(_ command: Command, flag: String, in environment: String, by author: Author, now: Timestamp) async throws -> RolloutMachine {
        guard var machine = machines[environment]?[flag] else { throw StoreError.notFound("a rollout of flag \(flag)") }
        if command != .pause, machine.state.phase == .paused {
            // A person may have edited the targeting while paused: build on what they wrote.
            let written = try await store.flag(flag, in: environment)?.definition["targeting"]
            if written != machine.currentTargeting { try machine.rebase(onto: written) }
        }
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
            let aggregator: Aggregator
            let flags: [String: StoredFlag]
            do {
                aggregator = try await ingestor.aggregates(of: environment, now: now).aggregator
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
                        replay = try RolloutMachine(plan: replay.plan, state: transition.to, base: replay.base)
                        try await apply(transition, of: replay, in: environment, by: FlagWriter.guardrails)
                    }
                } catch {
                    logger.error("rollout step failed", metadata: ["environment": .string(environment), "flag": .string(flag), "error": "\(error)"])
                }
            }
        }
    }

    /// How the admin API names a running rollout when it refuses a write; `nil` unless running.
    private static func lockDescription(_ machine: RolloutMachine) -> String? {
        guard machine.state.phase == .running else { return nil }
        return "a running rollout (stage \(machine.plan.stages[machine.state.stage].name) of \(machine.plan.stages.count))"
    }

    /// Writes a transition: targeting, then state and audit, then kill and alert for a regression.
    private func apply(_ transition: RolloutTransition, of machine: RolloutMachine, in environment: String, by author: Author) async throws {
        let flag = machine.plan.flag
        if let targeting = transition.targeting {
            guard let stored = try await store.flag(flag, in: environment), case .object(var definition) = stored.definition else {
                throw StoreError.notFound("flag \(flag)")
            }
            definition["targeting"] = targeting
            try await writer.apply(
                .updateFlag(key: flag, definition: .object(definition), expectedVersion: nil), to: environment, by: author,
                reason: "rollout \(transition.kind.rawValue): \(transition.reason)")
        }
        try await store.saveRollout(
            StoredRollout(environment: environment, flag: flag, plan: machine.plan.json, state: machine.storedState), by: author,
            action: "rollout.\(transition.kind.rawValue)", details: transition.json, reason: transition.reason)
        machines[environment, default: [:]][flag] = machine
        locks.set(Self.lockDescription(machine), flag: flag, in: environment)
        logger.notice(
            "rollout \(transition.kind.rawValue)",
            metadata: ["environment": .string(environment), "flag": .string(flag), "reason": .string(transition.reason)])
        if transition.beginsStage {
            let period = machine.state.analysisStartedAt?.millisecondsSinceEpoch ?? 0
            try await ingestor.startAnalysis(of: flag, in: environment, period: period)
        }
        if transition.kind == .held || transition.kind == .warned {
            alerts.send([
                "event": .string("rollout.\(transition.kind.rawValue)"), "environment": .string(environment), "flag": .string(flag),
                "transition": transition.json,
            ])
        }
        if transition.kind == .rolledBack, !transition.evidence.isEmpty {
            let killed = try await store.flag(flag, in: environment)?.kill != nil
            if !killed {
                try await writer.apply(.kill(key: flag), to: environment, by: author, reason: "rollout rolled back: \(transition.reason)")
            }
            alerts.send(["event": "rollout.rolledBack", "environment": .string(environment), "flag": .string(flag), "transition": transition.json])
        }
    }
}
