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

    /// The live key with this secret, or `nil`. While the store cannot be reached, a key it
    /// authenticated before goes on working (nothing can be revoked meanwhile); others fail with
    /// the store's error.
    func key(secret: String) async throws -> APIKey? {
        let now = ContinuousClock.now
        let remembered = entries.withLock { $0[secret] }
        if let remembered, remembered.expires > now { return remembered.key }
        let found: APIKey?
        do {
            found = try await store.apiKey(secret: secret)
        } catch let error as StoreError where error.kind == .unavailable {
            guard let remembered else { throw error }
            return remembered.key
        }
        guard let key = found else {
            entries.withLock { _ = $0.removeValue(forKey: secret) }
            return nil
        }
        entries.withLock { entries in
            if entries.count >= 10_000 { entries.removeAll() }
            entries[secret] = Entry(key: key, expires: now + lifetime)
        }
        return key
    }

    /// The live key with this id, or `nil` (unknown or revoked), remembered like ``key(secret:)``:
    /// for SDK keys bound to a gRPC selector.
    func key(id: String) async throws -> APIKey? {
        let now = ContinuousClock.now
        let cacheKey = "id " + id
        if let remembered = entries.withLock({ $0[cacheKey] }), remembered.expires > now { return remembered.key }
        guard let key = try await store.apiKeys().first(where: { $0.id == id && $0.revokedAt == nil }) else { return nil }
        entries.withLock { entries in
            if entries.count >= 10_000 { entries.removeAll() }
            entries[cacheKey] = Entry(key: key, expires: now + lifetime)
        }
        return key
    }

    /// Forgets every remembered key (after a revocation).
    func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}
