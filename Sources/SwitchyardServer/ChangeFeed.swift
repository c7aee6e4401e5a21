import Logging
import SwitchyardStore

/// Turns committed change-feed rows into new snapshots and stream events, in version order.
///
/// After a write the server calls ``catchUp(_:)``; it reads every row newer than the environment's
/// snapshot from the store, so concurrent writes are applied and announced in commit order. A store
/// shared by several servers (PostgreSQL) would call it on each notification.
actor ChangeFeed {
    let store: any FlagStore
    let snapshots: SnapshotRegistry
    let hub: StreamHub
    let logger: Logger
    /// The newest version announced to streams, per environment.
    private var announced: [String: Int64] = [:]

    init(store: any FlagStore, snapshots: SnapshotRegistry, hub: StreamHub, logger: Logger) {
        self.store = store
        self.snapshots = snapshots
        self.hub = hub
        self.logger = logger
    }

    /// Loads an environment's snapshot from the store.
    func load(_ environment: String) async throws {
        let state = try await store.state(of: environment)
        let lastModified = try await store.changes(in: environment, after: state.version - 1, limit: 1).first?.at ?? .distantPast
        snapshots.install(
            try EnvironmentSnapshot(
                environment: environment, version: state.version, served: state.servedDocument.objectValue ?? [:],
                lastModified: lastModified))
        announced[environment] = max(announced[environment, default: 0], state.version)
    }

    /// Applies and announces every change newer than the environment's snapshot, each exactly once
    /// and in version order (catch-ups that interleave at a suspension point skip what is done).
    /// When some of them were pruned before they were read, the environment is reloaded and streams
    /// get the whole document.
    func catchUp(_ environment: String) async throws {
        guard let current = snapshots[environment] else {
            try await load(environment)
            return
        }
        let changes = try await store.changes(in: environment, after: current.version, limit: 10_000)
        guard try await store.changesPrunedThrough(in: environment) <= current.version else {
            try await reload(environment)
            return
        }
        for change in changes where change.version > announced[environment, default: 0] {
            announced[environment] = change.version
            if let snapshot = snapshots[environment], snapshot.version < change.version {
                do {
                    snapshots.install(try snapshot.applying(change))
                } catch {
                    logger.error(
                        "a stored change does not load; reloading the environment",
                        metadata: ["version": "\(change.version)", "problems": "\(error)"])
                    try await load(environment)
                }
            }
            hub.publish(StreamMessage(change: change), to: environment)
        }
    }

    /// Loads the environment afresh and announces it as a whole document.
    private func reload(_ environment: String) async throws {
        let announcedBefore = announced[environment, default: 0]
        try await load(environment)
        guard let snapshot = snapshots[environment], snapshot.version > announcedBefore else { return }
        let change = ChangeRecord(
            version: snapshot.version, environment: environment, at: snapshot.lastModified, payload: .document(.object(snapshot.served)))
        hub.publish(StreamMessage(change: change), to: environment)
    }
}
