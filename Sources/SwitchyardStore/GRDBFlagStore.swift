import Foundation
import GRDB
import Logging
import SwitchyardCore
import SwitchyardGuard

/// The SQLite ``FlagStore``, generic over the GRDB writer: a WAL `DatabasePool` in production
/// (``GRDBFlagStore/open(path:logger:clock:)``), an in-memory `DatabaseQueue` in tests.
package final class GRDBFlagStore<Writer: DatabaseWriter>: FlagStore {
    let writer: Writer
    let logger: Logger
    /// Where the store reads the time it records: creation, audit, change and batch times.
    let clock: WallClock

    /// Migrates the database and creates the `production` environment if it is missing.
    package init(_ writer: Writer, logger: Logger, clock: WallClock = .system) throws {
        self.writer = writer
        self.logger = logger
        self.clock = clock
        try Self.migrator.migrate(writer)
        try writer.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO environment (name, created_at) VALUES (?, ?)",
                arguments: [Environment.production, clock.date])
        }
    }

    package func environments() async throws -> [Environment] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT name, created_at FROM environment ORDER BY name").map {
                Environment(name: $0["name"], createdAt: $0["created_at"])
            }
        }
    }

    package func createEnvironment(named name: String, by author: Author) async throws -> Environment {
        guard Environment.isValidName(name) else {
            throw StoreError.invalid(path: "name", "an environment name is 1 to 64 of a-z, 0-9, - and _")
        }
        let environment = Environment(name: name, createdAt: clock.date)
        try await writer.write { db in
            guard try Self.environmentExists(name, db) == false else { throw StoreError.alreadyExists("environment \(name)") }
            try db.execute(
                sql: "INSERT INTO environment (name, created_at) VALUES (?, ?)", arguments: [name, environment.createdAt])
            try Self.insertAudit(
                db, environment: name, flagKey: nil, action: "environment.create", author: author, at: environment.createdAt,
                before: nil, after: .object(["name": .string(name)]), reason: nil, version: nil)
        }
        return environment
    }

    package func state(of environment: String) async throws -> EnvironmentState {
        try await writer.read { db in try Self.loadState(environment, db) }
    }

    package func flag(_ key: String, in environment: String) async throws -> StoredFlag? {
        try await writer.read { db in
            if let record = try FlagRecord.one(key, in: environment).fetchOne(db) { return try record.stored() }
            guard try Self.environmentExists(environment, db) else { throw try Self.environmentNotFound(environment, db) }
            return nil
        }
    }

    package func apply(_ mutation: Mutation, to environment: String, by author: Author, reason: String?) async throws -> ChangeRecord {
        let record = try await writer.write { db in
            let now = self.clock.date
            let current = try Self.loadState(environment, db)
            let transition = try current.applying(mutation, by: author, reason: reason, at: now)
            try Self.persist(transition.state, replacing: current, db)
            try db.execute(
                sql: "INSERT INTO change (environment, at, flag_key, payload) VALUES (?, ?, ?, ?)",
                arguments: [environment, now, transition.flagKey, transition.payload.storedJSON])
            let version = db.lastInsertedRowID
            try Self.insertAudit(
                db, environment: environment, flagKey: transition.flagKey, action: transition.action, author: author, at: now,
                before: transition.before, after: transition.after, reason: reason, version: version)
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
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM change WHERE environment = ? AND version > ? ORDER BY version LIMIT ?",
                arguments: [environment, version, limit]
            ).map(Self.decodeChange)
        }
    }

    package func latestChange(of flagKey: String, in environment: String) async throws -> ChangeRecord? {
        try await writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM change WHERE environment = ? AND flag_key = ? ORDER BY version DESC LIMIT 1",
                arguments: [environment, flagKey]
            ).map(Self.decodeChange)
        }
    }

    package func auditEntries(in environment: String?, flag: String?, limit: Int) async throws -> [AuditEntry] {
        try await writer.read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let environment {
                conditions.append("(environment = ? OR environment IS NULL)")
                arguments += [environment]
            }
            if let flag {
                conditions.append("flag_key = ?")
                arguments += [flag]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [limit]
            return try Row.fetchAll(db, sql: "SELECT * FROM audit \(filter) ORDER BY id DESC LIMIT ?", arguments: arguments)
                .map(Self.decodeAudit)
        }
    }

    package func latestAuditedChange(of flagKey: String, in environment: String) async throws -> AuditEntry? {
        try await writer.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT * FROM audit WHERE environment = ? AND flag_key = ? AND version IS NOT NULL ORDER BY id DESC LIMIT 1",
                arguments: [environment, flagKey]
            ).map(Self.decodeAudit)
        }
    }

    package func createAPIKey(_ request: APIKeyRequest, by author: Author) async throws -> IssuedAPIKey {
        let secret = APIKey.generateSecret(kind: request.kind)
        let key = try await writer.write { db in try Self.insertKey(secret: secret, request, author: author, at: self.clock.date, db) }
        return IssuedAPIKey(key: key, secret: secret)
    }

    package func ensureAPIKey(secret: String, _ request: APIKeyRequest) async throws -> APIKey {
        try await writer.write { db in
            if let existing = try APIKeyRecord.filter(APIKeyRecord.Columns.hash == APIKey.hash(secret: secret)).fetchOne(db) {
                return existing.key
            }
            return try Self.insertKey(secret: secret, request, author: .system, at: self.clock.date, db)
        }
    }

    package func apiKeys() async throws -> [APIKey] {
        try await writer.read { db in
            try APIKeyRecord.inOrder.fetchAll(db).map(\.key)
        }
    }

    package func revokeAPIKey(id: String, by author: Author) async throws -> APIKey {
        try await writer.write { db in
            guard var record = try APIKeyRecord.fetchOne(db, key: id) else { throw StoreError.notFound("key \(id)") }
            guard record.revokedAt == nil else { return record.key }
            let now = self.clock.date
            record.revokedAt = now
            try record.update(db, columns: [APIKeyRecord.Columns.revokedAt])
            let key = record.key
            try Self.insertAudit(
                db, environment: key.environment, flagKey: nil, action: "key.revoke", author: author, at: now,
                before: nil, after: key.auditJSON, reason: nil, version: nil)
            return key
        }
    }

    package func apiKey(secret: String) async throws -> APIKey? {
        let hash = APIKey.hash(secret: secret)
        return try await writer.read { db in
            try APIKeyRecord.filter(APIKeyRecord.Columns.hash == hash && APIKeyRecord.Columns.revokedAt == nil).fetchOne(db)?.key
        }
    }
}
