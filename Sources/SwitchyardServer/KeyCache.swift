import SwitchyardStore
import Synchronization

/// Authenticates API keys, remembering each valid key briefly so evaluations skip the database.
final class KeyCache: Sendable {
    private struct Entry {
        let key: APIKey
        let expires: ContinuousClock.Instant
    }

    private let store: any FlagStore
    private let lifetime: Duration
    private let entries = Mutex<[String: Entry]>([:])

    init(store: any FlagStore, lifetime: Duration) {
        self.store = store
        self.lifetime = lifetime
    }

    /// The live key with this secret, or `nil`.
    func key(secret: String) async throws -> APIKey? {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[secret] }), entry.expires > now { return entry.key }
        guard let key = try await store.apiKey(secret: secret) else {
            entries.withLock { _ = $0.removeValue(forKey: secret) }
            return nil
        }
        entries.withLock { entries in
            if entries.count >= 10_000 { entries.removeAll() }
            entries[secret] = Entry(key: key, expires: now + lifetime)
        }
        return key
    }

    /// Forgets every remembered key (after a revocation).
    func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}
