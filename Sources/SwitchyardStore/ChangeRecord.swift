import Foundation
import SwitchyardCore

/// One change-feed row: what clients of an environment must apply to stay current.
public struct ChangeRecord: Sendable, Equatable {
    /// Increases with every change across all environments; clients see it as the SSE `id:`.
    public var version: Int64
    /// The environment changed.
    public var environment: String
    /// When the change was committed.
    public var at: Date
    /// What changed.
    public var payload: Payload

    public init(version: Int64, environment: String, at: Date, payload: Payload) {
        self.version = version
        self.environment = environment
        self.at = at
        self.payload = payload
    }

    /// What a change carries: one flag as served, or the whole served document.
    public enum Payload: Sendable, Equatable {
        /// One flag's served object, `nil` when it was deleted.
        case flag(key: String, served: JSONValue?)
        /// The whole served document (imports and segment changes).
        case document(JSONValue)
    }

    /// The flag key for a single-flag change.
    public var flagKey: String? {
        if case .flag(let key, _) = payload { return key }
        return nil
    }
}
