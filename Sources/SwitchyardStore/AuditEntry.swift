import Foundation
import SwitchyardCore

/// A record of one accepted write: who, when, what, before, after and why.
package struct AuditEntry: Sendable, Equatable {
    /// Increasing id.
    package var id: Int64
    /// The environment, `nil` for global actions (admin keys).
    package var environment: String?
    /// The flag concerned, if the action concerns one.
    package var flagKey: String?
    /// What was done, such as `flag.kill` or `key.create`.
    package var action: String
    /// Who did it.
    package var author: Author
    /// When.
    package var at: Date
    /// The stored object before (`nil` when created).
    package var before: JSONValue?
    /// The stored object after (`nil` when deleted).
    package var after: JSONValue?
    /// The reason given, if any.
    package var reason: String?
    /// The change-feed version the write produced, if it changed what clients are served.
    package var version: Int64?

    package init(
        id: Int64, environment: String?, flagKey: String?, action: String, author: Author, at: Date,
        before: JSONValue?, after: JSONValue?, reason: String?, version: Int64?
    ) {
        self.id = id
        self.environment = environment
        self.flagKey = flagKey
        self.action = action
        self.author = author
        self.at = at
        self.before = before
        self.after = after
        self.reason = reason
        self.version = version
    }
}
