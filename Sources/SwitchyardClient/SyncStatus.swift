import SwitchyardCore

/// The client's mutable sync state, behind a lock that only background work and configuration
/// calls take. Evaluations read the ``FlagSnapshot`` it publishes instead.
struct SyncStatus: Sendable {
    /// Where the served document came from.
    enum Origin: Sendable {
        case server
        case cache
        case bootstrap
    }

    var served: ServedDocument?
    var origin: Origin?
    var connected = false
    /// Flags killed by a local breaker.
    var killed: Set<String> = []
    /// `served` compiled with `killed` applied.
    var document: FlagDocument?

    var state: ClientState {
        guard document != nil else { return .offline }
        return origin == .server && connected ? .ready : .stale
    }

    /// The version to resume the stream from: the server's version of what is served.
    var resumeVersion: Int64? {
        origin == .bootstrap ? nil : served?.version
    }

    var snapshot: FlagSnapshot {
        FlagSnapshot(document: document, version: served?.version, state: state)
    }
}
