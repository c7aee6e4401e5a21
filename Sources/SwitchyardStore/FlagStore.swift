import Foundation

/// Where flags, segments, environments, API keys, audit entries and the change feed live.
///
/// Every write goes through ``apply(_:to:by:reason:)``: the flag or segment, an audit entry and a
/// change-feed row are stored in one transaction and are durable when it returns. The business rules
/// (validation by ``SwitchyardCore``, versions, kills, permanent flags) live in ``EnvironmentState``,
/// so another implementation (PostgreSQL) only has to persist what it computes.
///
/// The change feed is pruned with ``pruneChanges(keepingNewest:before:)``; the audit log never is.
package protocol FlagStore: Sendable {
    /// Every environment, by name.
    func environments() async throws -> [Environment]

    /// Creates an empty environment; fails with ``StoreError/Kind/alreadyExists`` when the name is taken.
    func createEnvironment(named name: String, by author: Author) async throws -> Environment

    /// Everything served in an environment, read in one transaction.
    func state(of environment: String) async throws -> EnvironmentState

    /// One flag of an environment, read alone; `nil` when the environment has no flag with this key.
    /// Fails with ``StoreError/Kind/notFound`` when the environment does not exist.
    func flag(_ key: String, in environment: String) async throws -> StoredFlag?

    /// Applies one change: validates it against the environment, then stores the result, an audit
    /// entry and a change-feed row in one durable transaction.
    func apply(_ mutation: Mutation, to environment: String, by author: Author, reason: String?) async throws -> ChangeRecord

    /// The change-feed rows of an environment with a version above `version`, oldest first.
    func changes(in environment: String, after version: Int64, limit: Int) async throws -> [ChangeRecord]

    /// How far an environment's change feed has been pruned: the newest version deleted from it, 0 when
    /// none was. ``changes(in:after:limit:)`` after a version at or above this returns every later
    /// change; after an older version some are gone, and a client there needs the whole document.
    func changesPrunedThrough(in environment: String) async throws -> Int64

    /// Deletes, in every environment, the change-feed rows older than both the environment's newest
    /// `count` rows and `cutoff`: at least `count` rows are kept, and whatever is younger than `cutoff`.
    /// Each environment's pruned rows are a prefix of its feed (oldest first) and its
    /// ``changesPrunedThrough(in:)`` is raised in the same transaction; its newest row and every audit
    /// entry are kept. Returns how many rows were deleted.
    /// - Precondition: `count` is at least 1.
    func pruneChanges(keepingNewest count: Int, before cutoff: Date) async throws -> Int

    /// The newest change-feed row of a flag, if any.
    func latestChange(of flagKey: String, in environment: String) async throws -> ChangeRecord?

    /// The audit entry of a flag's newest change: the newest of its entries with a change-feed version.
    /// The audit log is never pruned, so this outlives the change's row in the feed.
    func latestAuditedChange(of flagKey: String, in environment: String) async throws -> AuditEntry?

    /// Audit entries, newest first, optionally only those of one flag.
    func auditEntries(in environment: String?, flag: String?, limit: Int) async throws -> [AuditEntry]

    /// Creates an API key; the secret exists only in the returned value.
    func createAPIKey(_ request: APIKeyRequest, by author: Author) async throws -> IssuedAPIKey

    /// Stores a key whose secret was chosen elsewhere (`SWITCHYARD_ADMIN_KEY`) unless it is already stored.
    func ensureAPIKey(secret: String, _ request: APIKeyRequest) async throws -> APIKey

    /// Every key, revoked ones included.
    func apiKeys() async throws -> [APIKey]

    /// Revokes a key by id.
    func revokeAPIKey(id: String, by author: Author) async throws -> APIKey

    /// The live key whose secret this is, if any.
    func apiKey(secret: String) async throws -> APIKey?
}

extension FlagStore {
    /// One flag of an environment, read alone; not found names the closest key when this one looks
    /// like a typo of another.
    package func existingFlag(_ key: String, in environment: String) async throws -> StoredFlag {
        if let flag = try await flag(key, in: environment) { return flag }
        return try await state(of: environment).flag(key)
    }
}
