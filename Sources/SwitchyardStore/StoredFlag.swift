import Foundation
import SwitchyardCore

/// A flag as stored: the flagd flag object as written, its version and whether it is killed.
package struct StoredFlag: Sendable, Equatable {
    /// The flag key.
    package var key: String
    /// The flagd flag object as written (a kill does not change it).
    package var definition: JSONValue
    /// Increases with every write to this flag; what `If-Match` compares.
    package var version: Int64
    /// Set while the flag is killed.
    package var kill: Kill?
    /// When the flag was created.
    package var createdAt: Date
    /// When the flag last changed.
    package var updatedAt: Date

    package init(key: String, definition: JSONValue, version: Int64, kill: Kill?, createdAt: Date, updatedAt: Date) {
        self.key = key
        self.definition = definition
        self.version = version
        self.kill = kill
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// A kill: the flag serves its safe variant to everyone until unkilled.
    package struct Kill: Sendable, Equatable {
        /// Why it was killed.
        package var reason: String
        /// When.
        package var at: Date
        /// By whom.
        package var by: Author

        package init(reason: String, at: Date, by: Author) {
            self.reason = reason
            self.at = at
            self.by = by
        }

        /// The kill marker merged into the served flag's `metadata`: `killed: true`, `killReason`,
        /// `killedAt` (RFC 3339, UTC) and `killedBy` (the author's id, `guardrails` for automatic
        /// kills). Flag metadata is what OFREP answers, flagd's evaluators and the clients return
        /// with every evaluation, so every client can tell a kill from a flag that is off by design.
        package var metadata: [String: JSONValue] {
            [
                "killed": true, "killReason": .string(reason), "killedAt": .string(at.formatted(.iso8601)),
                "killedBy": .string(by.id),
            ]
        }
    }

    /// The flag object clients are served: while killed, ``KillSwitch/killed(_:marker:)`` with the
    /// kill marker (``Kill/metadata``).
    package var served: JSONValue {
        guard let kill else { return definition }
        return KillSwitch.killed(definition, marker: kill.metadata)
    }

    /// Whether the flag is marked `metadata.permanent: true`.
    package var isPermanent: Bool { definition["metadata"]?["permanent"] == .bool(true) }
}
