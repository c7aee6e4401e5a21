import Synchronization

/// The current snapshot of every environment; reads are a lock and a dictionary lookup.
final class SnapshotRegistry: Sendable {
    private let snapshots = Mutex<[String: EnvironmentSnapshot]>([:])

    /// The current snapshot of an environment.
    subscript(environment: String) -> EnvironmentSnapshot? {
        snapshots.withLock { $0[environment] }
    }

    /// Installs a snapshot unless a newer one is already there.
    func install(_ snapshot: EnvironmentSnapshot) {
        snapshots.withLock { current in
            if let existing = current[snapshot.environment], existing.version > snapshot.version { return }
            current[snapshot.environment] = snapshot
        }
    }

    /// Whether any environment has a snapshot (``SwitchyardServer/prepare()`` loads them all).
    var hasAny: Bool {
        snapshots.withLock { !$0.isEmpty }
    }

    /// Whether every named environment has a snapshot.
    func hasSnapshots(for environments: [String]) -> Bool {
        snapshots.withLock { current in environments.allSatisfy { current[$0] != nil } }
    }
}
