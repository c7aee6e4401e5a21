import Foundation
import SwitchyardCore

/// A record of one accepted write: who, when, what, before, after and why.
public struct AuditEntry: Sendable, Equatable {
    /// Increasing id.
    public var id: Int64
    /// The environment, `nil` for global actions (admin keys).
    public var environment: String?
    /// The flag concerned, if the action concerns one.
    public var flagKey: String?
    /// What was done, such as `flag.kill` or `key.create`.
    public var action: String
    /// Who did it.
    public var author: Author
    /// When.
    public var at: Date
    /// The stored object before (`nil` when created).
    public var before: JSONValue?
    /// The stored object after (`nil` when deleted).
    public var after: JSONValue?
    /// The reason given, if any.
    public var reason: String?
    /// The change-feed version the write produced, if it changed what clients are served.
    public var version: Int64?

    public init(
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
