import Hummingbird
import SwitchyardCore
import SwitchyardGuard

/// `POST /api/v1/flags/{key}/rollout?dryRun=true`: what a start would write, the flag's targeting
/// today (`current`, `null` without one), at each stage, and after a rollback.
struct RolloutDryRun: ResponseEncodable {
    struct Stage: Encodable {
        let name: String
        let targeting: JSONValue
    }

    let flag: String
    let plan: JSONValue
    let current: JSONValue
    let stages: [Stage]
    let rolledBack: JSONValue

    init(_ machine: RolloutMachine) {
        flag = machine.plan.flag
        plan = machine.plan.json
        current = machine.base ?? .null
        stages = zip(machine.plan.stages, machine.stageTargetings).map { Stage(name: $0.name, targeting: $1) }
        rolledBack = machine.rolledBackTargeting
    }
}
