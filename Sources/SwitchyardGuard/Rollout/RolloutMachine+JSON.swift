import SwitchyardCore

extension RolloutMachine {
    /// What the server stores of a machine besides its plan: the state (``RolloutState/json``)
    /// with the flag's pre-rollout targeting as `baseTargeting`.
    public var storedState: JSONValue {
        guard case .object(var members) = state.json else { return state.json }
        members["baseTargeting"] = base ?? .null
        return .object(members)
    }

    /// Reads a machine back from its plan and ``storedState``.
    public init(plan: RolloutPlan, storedState: JSONValue) throws(RolloutError) {
        let base = storedState["baseTargeting"].flatMap { $0.isNull ? nil : $0 }
        try self.init(plan: plan, state: try RolloutState(json: storedState), base: base)
    }

    /// The rollout as the API and `rollout status` show it: where it stands, what is served, and
    /// the timeline of stages with what blocks the current one.
    public func status(assessment: Assessment?, killed: Bool, now: Timestamp) -> JSONValue {
        var waiting: [String] = []
        if killed, state.phase == .running || state.phase == .paused {
            waiting.append("waiting: the flag is killed; the rollout resumes its checks once it is unkilled")
        }
        waiting += assessment?.blockers ?? []
        let timeline: [JSONValue] = plan.stages.enumerated().map { index, stage in
            var members: [String: JSONValue] = [
                "name": .string(stage.name), "minDuration": .string(stage.minimumDuration.compactText),
                "minUnitsPerArm": .integer(Int64(stage.minimumUnitsPerArm)),
                "status": .string(stageStatus(index)),
            ]
            switch stage.gate {
            case .percentage(let percent): members["percent"] = .double(percent)
            case .segment(let name, let condition):
                members["segment"] = .string(name)
                members["condition"] = condition
            }
            return .object(members)
        }
        var members: [String: JSONValue] = [
            "flag": .string(plan.flag), "plan": plan.json, "state": state.json, "phase": .string(state.phase.rawValue),
            "stage": .string(plan.stages[state.stage].name), "stageIndex": .integer(Int64(state.stage)),
            "treatmentPercent": .double(servedPercent), "timeline": .array(timeline),
            "blockers": .array(waiting.map(JSONValue.string)), "killed": .bool(killed),
            "baseTargeting": base ?? .null, "targeting": currentTargeting,
        ]
        if state.phase == .running || state.phase == .paused, state.stage + 1 < plan.stages.count {
            members["nextStage"] = .string(plan.stages[state.stage + 1].name)
        }
        if let earliest = assessment?.earliestAdvance {
            members["earliestAdvanceAt"] = .integer(earliest.millisecondsSinceEpoch)
            members["earliestAdvanceInMs"] = .integer(max(0, (earliest - now).milliseconds))
        }
        return .object(members)
    }

    private func stageStatus(_ index: Int) -> String {
        switch state.phase {
        case .draft: return "upcoming"
        case .completed: return index <= state.stage ? "done" : "skipped"
        case .rolledBack: return index < state.stage ? "done" : index == state.stage ? "rolledBack" : "cancelled"
        case .running, .paused: return index < state.stage ? "done" : index == state.stage ? "current" : "upcoming"
        }
    }
}
