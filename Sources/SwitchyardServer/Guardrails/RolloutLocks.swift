import Synchronization
import SwitchyardCore
import SwitchyardStore

/// The flags whose targeting a running rollout owns, so that the admin API refuses to change it
/// under the rollout's feet (409 naming the rollout) until a person pauses or aborts it.
///
/// The ``RolloutSupervisor`` keeps it current; the admin write path consults it.
final class RolloutLocks: Sendable {
    /// Environment → flag → the running rollout, in words.
    private let running = Mutex<[String: [String: String]]>([:])

    /// Records that a flag's rollout runs (`description` set) or no longer does (`nil`).
    func set(_ description: String?, flag: String, in environment: String) {
        running.withLock { $0[environment, default: [:]][flag] = description }
    }

    /// Refuses a mutation that would change or remove the targeting of a flag with a running
    /// rollout; other changes (state, kill, variants and metadata with the same targeting) pass.
    func check(_ mutation: Mutation, in environment: String, state readState: () async throws -> EnvironmentState) async throws {
        let locked = running.withLock { $0[environment] ?? [:] }
        guard !locked.isEmpty else { return }
        let state = try await readState()
        func refuse(_ key: String, _ what: String) -> APIError {
            APIError(
                .conflict, code: "rollout_running",
                "flag \(key) has \(locked[key]!), which owns its targeting: \(what) is refused; pause or abort the rollout first "
                    + "(switchyard rollout pause \(key)), or pass --force to the CLI")
        }
        switch mutation {
        case .updateFlag(let key, let definition, _) where locked[key] != nil:
            if definition["targeting"] != state.flags[key]?.definition["targeting"] { throw refuse(key, "changing its targeting") }
        case .deleteFlag(let key, _, _) where locked[key] != nil:
            throw refuse(key, "deleting it")
        case .replaceDocument(let document, _):
            for key in locked.keys.sorted() {
                guard let replacement = document["flags"]?[key] else { throw refuse(key, "an import without it") }
                if replacement["targeting"] != state.flags[key]?.definition["targeting"] { throw refuse(key, "an import changing its targeting") }
            }
        default:
            break
        }
    }
}
