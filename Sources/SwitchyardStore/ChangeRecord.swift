import Foundation
import SwitchyardCore

/// One change-feed row: what clients of an environment must apply to stay current.
package struct ChangeRecord: Sendable, Equatable {
    /// Increases with every change across all environments; clients see it as the SSE `id:`.
    package var version: Int64
    /// The environment changed.
    package var environment: String
    /// When the change was committed.
    package var at: Date
    /// What changed.
    package var payload: Payload

    package init(version: Int64, environment: String, at: Date, payload: Payload) {
        self.version = version
        self.environment = environment
        self.at = at
        self.payload = payload
    }

    /// What a change carries: one flag as served, or the whole served document.
    package enum Payload: Sendable, Equatable {
        /// One flag's served object, `nil` when it was deleted.
        case flag(key: String, served: JSONValue?)
        /// The whole served document (imports and segment changes).
        case document(JSONValue)
    }

    /// The flag key for a single-flag change.
    package var flagKey: String? {
        if case .flag(let key, _) = payload { return key }
        return nil
    }
}

extension ChangeRecord.Payload {
    /// The change feed's `payload` column: the served flag (`null` when deleted) or the served
    /// document, as JSON text; the `flag_key` column tells which.
    package var storedJSON: String {
        switch self {
        case .flag(_, let served): (served ?? .null).serialized()
        case .document(let document): document.serialized()
        }
    }

    /// Reads the `flag_key` and `payload` columns of a change-feed row back.
    package init(flagKey: String?, storedJSON: String) throws {
        let payload = try JSONValue(parsing: storedJSON)
        if let flagKey {
            self = .flag(key: flagKey, served: payload.isNull ? nil : payload)
        } else {
            self = .document(payload)
        }
    }
}
