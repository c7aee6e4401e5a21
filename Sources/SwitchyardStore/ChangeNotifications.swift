/// What a store shared by several servers says about the changes any of them commits.
package enum ChangeNotice: Sendable, Equatable {
    /// A change with this version (or, at version 0, a new environment) was committed in an environment.
    /// It carries no content: the server reads what it missed from the change feed.
    case committed(environment: String, version: Int64)
    /// Another server changed an environment's kill rules or rollouts (a rule was replaced, tripped or
    /// re-armed; a rollout started or moved): they are read again from the store.
    case guardrailsChanged(environment: String)
    /// A key was revoked through some server: every server ends its streams.
    case keyRevoked(id: String)
    /// Notices may have been missed (the first connection, or a connection lost and back): every
    /// environment must catch up.
    case resynchronize
}

/// A source of ``ChangeNotice``s: a store shared by several servers (PostgreSQL's LISTEN/NOTIFY),
/// so that a change made through one reaches the streams of every other.
package protocol ChangeNotifications: Sendable {
    /// A new subscription: every notice from now on, until the source stops.
    func notices() -> AsyncStream<ChangeNotice>

    /// Whether the source is connected to the database now: while it is not, notices are missed and
    /// writes fail, and a server reports itself not ready.
    var isConnected: Bool { get }
}
