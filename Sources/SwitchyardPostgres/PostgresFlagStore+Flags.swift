import Foundation
import PostgresNIO
import SwitchyardCore
import SwitchyardStore

extension PostgresFlagStore {
    package func environments() async throws -> [Environment] {
        try await all(
            try await read("SELECT name, created_at FROM environment ORDER BY name").decode((String, Date).self)
        ).map { Environment(name: $0.0, createdAt: $0.1) }
    }

    package func createEnvironment(named name: String, by author: Author) async throws -> Environment {
        guard Environment.isValidName(name) else {
            throw StoreError.invalid(path: "name", "an environment name is 1 to 64 of a-z, 0-9, - and _")
        }
        let environment = Environment(name: name, createdAt: clock.date)
        try await transaction { connection in
            let inserted = try await first(
                try await connection.query(
                    """
                    INSERT INTO environment (name, created_at) VALUES (\(name), \(environment.createdAt))
                    ON CONFLICT DO NOTHING RETURNING name
                    """, logger: logger
                ).decode(String.self))
            guard inserted != nil else { throw StoreError.alreadyExists("environment \(name)") }
            try await insertAudit(
                connection, environment: name, flagKey: nil, action: "environment.create", author: author, at: environment.createdAt,
                before: nil, after: .object(["name": .string(name)]), reason: nil, version: nil)
            try await notify(name, version: 0, connection)
        }
        return environment
    }

    package func state(of environment: String) async throws -> EnvironmentState {
        try await transaction(readOnly: true) { connection in try await loadState(environment, forUpdate: false, connection) }
    }

    package func flag(_ key: String, in environment: String) async throws -> StoredFlag? {
        try await transaction(readOnly: true) { connection in try await loadFlag(key, in: environment, connection) }
    }

    package func apply(_ mutation: Mutation, to environment: String, by author: Author, reason: String?) async throws -> ChangeRecord {
        let record = try await transaction { connection in
            let now = clock.date
            let current = try await loadState(environment, forUpdate: true, connection)
            let transition = try current.applying(mutation, by: author, reason: reason, at: now)
            try await persist(transition.state, replacing: current, connection)
            let stored = try await first(
                try await connection.query(
                    """
                    INSERT INTO change (environment, at, flag_key, payload)
                    VALUES (\(environment), \(now), \(transition.flagKey), \(transition.payload.storedJSON)) RETURNING version
                    """, logger: logger
                ).decode(Int64.self))
            guard let version = stored else { throw PostgresStoreError(url: url, action: "store a change in", reason: "no version returned") }
            try await insertAudit(
                connection, environment: environment, flagKey: transition.flagKey, action: transition.action, author: author, at: now,
                before: transition.before, after: transition.after, reason: reason, version: version)
            try await notify(environment, version: version, connection)
            return ChangeRecord(version: version, environment: environment, at: now, payload: transition.payload)
        }
        logger.info(
            "change applied",
            metadata: [
                "environment": .string(environment), "action": .string(mutation.action), "version": "\(record.version)",
                "author": .string(author.id),
            ])
        return record
    }

    package func changes(in environment: String, after version: Int64, limit: Int) async throws -> [ChangeRecord] {
        try await all(
            try await read(
                """
                SELECT version, environment, at, flag_key, payload FROM change
                WHERE environment = \(environment) AND version > \(version) ORDER BY version LIMIT \(limit)
                """
            ).decode(ChangeRow.self)
        ).map(Self.decodeChange)
    }

    package func latestChange(of flagKey: String, in environment: String) async throws -> ChangeRecord? {
        try await first(
            try await read(
                """
                SELECT version, environment, at, flag_key, payload FROM change
                WHERE environment = \(environment) AND flag_key = \(flagKey) ORDER BY version DESC LIMIT 1
                """
            ).decode(ChangeRow.self)
        ).map(Self.decodeChange)
    }

    package func auditEntries(in environment: String?, flag: String?, limit: Int) async throws -> [AuditEntry] {
        // A missing filter is a NULL parameter that matches every row.
        try await all(
            try await read(
                """
                SELECT id, environment, flag_key, action, author_id, author_name, at, before, after, reason, version FROM audit
                WHERE (\(environment)::TEXT IS NULL OR environment = \(environment) OR environment IS NULL)
                    AND (\(flag)::TEXT IS NULL OR flag_key = \(flag))
                ORDER BY id DESC LIMIT \(limit)
                """
            ).decode(AuditRow.self)
        ).map(Self.decodeAudit)
    }

    package func latestAuditedChange(of flagKey: String, in environment: String) async throws -> AuditEntry? {
        try await first(
            try await read(
                """
                SELECT id, environment, flag_key, action, author_id, author_name, at, before, after, reason, version FROM audit
                WHERE environment = \(environment) AND flag_key = \(flagKey) AND version IS NOT NULL ORDER BY id DESC LIMIT 1
                """
            ).decode(AuditRow.self)
        ).map(Self.decodeAudit)
    }

    package func createAPIKey(_ request: APIKeyRequest, by author: Author) async throws -> IssuedAPIKey {
        let secret = APIKey.generateSecret(kind: request.kind)
        let key = try await transaction { connection in try await insertKey(secret: secret, request, author: author, connection) }
        return IssuedAPIKey(key: key, secret: secret)
    }

    package func ensureAPIKey(secret: String, _ request: APIKeyRequest) async throws -> APIKey {
        try await transaction { connection in
            // Two replicas starting with the same SWITCHYARD_ADMIN_KEY store it once.
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.keyLock))", logger: logger)
            let existing = try await first(
                try await connection.query(
                    "SELECT id, kind, environment, name, created_at, revoked_at FROM api_key WHERE hash = \(APIKey.hash(secret: secret))",
                    logger: logger
                ).decode(KeyRow.self))
            if let existing { return Self.decodeKey(existing) }
            return try await insertKey(secret: secret, request, author: .system, connection)
        }
    }

    package func apiKeys() async throws -> [APIKey] {
        try await all(
            try await read(
                "SELECT id, kind, environment, name, created_at, revoked_at FROM api_key ORDER BY created_at, id"
            ).decode(KeyRow.self)
        ).map(Self.decodeKey)
    }

    package func revokeAPIKey(id: String, by author: Author) async throws -> APIKey {
        try await transaction { connection in
            let row = try await first(
                try await connection.query(
                    "SELECT id, kind, environment, name, created_at, revoked_at FROM api_key WHERE id = \(id) FOR UPDATE", logger: logger
                ).decode(KeyRow.self))
            guard let row else { throw StoreError.notFound("key \(id)") }
            var key = Self.decodeKey(row)
            guard key.revokedAt == nil else { return key }
            let now = clock.date
            try await connection.query("UPDATE api_key SET revoked_at = \(now) WHERE id = \(id)", logger: logger)
            try await notify("!revoked \(id)", connection)
            key.revokedAt = now
            try await insertAudit(
                connection, environment: key.environment, flagKey: nil, action: "key.revoke", author: author, at: now, before: nil,
                after: key.auditJSON, reason: nil, version: nil)
            return key
        }
    }

    package func apiKey(secret: String) async throws -> APIKey? {
        try await first(
            try await read(
                """
                SELECT id, kind, environment, name, created_at, revoked_at FROM api_key
                WHERE hash = \(APIKey.hash(secret: secret)) AND revoked_at IS NULL
                """
            ).decode(KeyRow.self)
        ).map(Self.decodeKey)
    }

    /// Tells every replica's ``ChangeListener``, when the transaction commits (never before, never
    /// if it rolls back), that the environment has a change of this version; only that: they read
    /// the change itself from the feed.
    private func notify(_ environment: String, version: Int64, _ connection: PostgresConnection) async throws {
        try await notify("\(environment) \(version)", connection)
    }

    /// Tells the other replicas, when the transaction commits, that an environment's kill rules or
    /// rollouts changed.
    func notifyGuardrailsChanged(in environment: String, _ connection: PostgresConnection) async throws {
        try await notify("\(environment) guardrails \(replica)", connection)
    }

    private func notify(_ payload: String, _ connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_notify(\(ChangeListener.channel), \(payload))", logger: logger)
    }

    /// The advisory lock around storing a chosen admin key.
    static let keyLock: Int64 = 0x5377_6974_6368_0002
}
