import SwitchyardCore

/// One change to an environment, as an admin asks for it.
package enum Mutation: Sendable {
    /// Adds a flag; fails when the key exists.
    case createFlag(key: String, definition: JSONValue)
    /// Replaces a flag's definition; `expectedVersion` (from `If-Match`) must be current when given.
    case updateFlag(key: String, definition: JSONValue, expectedVersion: Int64?)
    /// Removes a flag; a permanent flag only with `force`.
    case deleteFlag(key: String, force: Bool, expectedVersion: Int64?)
    /// Sets `state` to `ENABLED` or `DISABLED`.
    case setEnabled(key: String, enabled: Bool)
    /// Serves the safe variant to everyone; the reason is required.
    case kill(key: String)
    /// Ends a kill.
    case unkill(key: String)
    /// Adds a shared rule (`$evaluators` entry) at version 1; fails when the name exists.
    case createSegment(name: String, rule: JSONValue)
    /// Replaces a shared rule; `expectedVersion` (from `If-Match`) must be current when given.
    case updateSegment(name: String, rule: JSONValue, expectedVersion: Int64?)
    /// Removes a shared rule; fails while a flag references it. `expectedVersion` must be current when given.
    case deleteSegment(name: String, expectedVersion: Int64?)
    /// Replaces the whole environment with a flagd document (import).
    case replaceDocument(JSONValue, strictness: LoadOptions.Strictness)

    /// The audit action name, such as `flag.create`.
    package var action: String {
        switch self {
        case .createFlag: "flag.create"
        case .updateFlag: "flag.update"
        case .deleteFlag: "flag.delete"
        case .setEnabled(_, let enabled): enabled ? "flag.enable" : "flag.disable"
        case .kill: "flag.kill"
        case .unkill: "flag.unkill"
        case .createSegment: "segment.create"
        case .updateSegment: "segment.update"
        case .deleteSegment: "segment.delete"
        case .replaceDocument: "environment.import"
        }
    }
}
