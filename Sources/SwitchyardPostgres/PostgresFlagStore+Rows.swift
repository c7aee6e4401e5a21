import Foundation
import PostgresNIO
import SwitchyardCore
import SwitchyardStore

extension PostgresFlagStore {
    /// An environment's stored state. With `forUpdate`, the environment's row is locked until the
    /// transaction ends, so that writes to it are serialised across replicas.
    func loadState(_ environment: String, forUpdate: Bool, _ connection: PostgresConnection) async throws -> EnvironmentState {
        let lock: PostgresQuery =
            forUpdate
            ? "SELECT top_level FROM environment WHERE name = \(environment) FOR UPDATE"
            : "SELECT top_level FROM environment WHERE name = \(environment)"
        guard let topLevel = try await first(try await connection.query(lock, logger: logger).decode(String.self)) else {
            throw try await environmentNotFound(environment, connection)
        }
        var state = EnvironmentState(name: environment)
        state.topLevel = try JSONValue(parsing: topLevel).objectValue ?? [:]
        let flags = try await connection.query(
            "SELECT \(unescaped: Self.flagColumns) FROM flag WHERE environment = \(environment)", logger: logger
        ).decode(FlagColumns.self)
        for try await columns in flags {
            let flag = try Self.flag(columns)
            state.flags[flag.key] = flag
        }
        let segments = try await connection.query(
            "SELECT name, rule, version FROM segment WHERE environment = \(environment)", logger: logger
        ).decode((String, String, Int64).self)
        for try await (name, rule, version) in segments {
            state.segments[name] = StoredSegment(name: name, rule: try JSONValue(parsing: rule), version: version)
        }
        state.version =
            try await first(
                try await connection.query("SELECT COALESCE(MAX(version), 0) FROM change WHERE environment = \(environment)", logger: logger)
                    .decode(Int64.self)) ?? 0
        return state
    }

    /// One flag of an environment, read alone; `nil` when the environment has no flag with this key.
    func loadFlag(_ key: String, in environment: String, _ connection: PostgresConnection) async throws -> StoredFlag? {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.flagColumns) FROM flag WHERE environment = \(environment) AND key = \(key)", logger: logger
        ).decode(FlagColumns.self)
        if let columns = try await first(rows) { return try Self.flag(columns) }
        guard try await first(try await connection.query("SELECT 1 FROM environment WHERE name = \(environment)", logger: logger)) != nil else {
            throw try await environmentNotFound(environment, connection)
        }
        return nil
    }

    /// Not found, naming the closest environment when this name looks like a typo of one.
    private func environmentNotFound(_ environment: String, _ connection: PostgresConnection) async throws -> StoreError {
        let names = try await all(try await connection.query("SELECT name FROM environment", logger: logger).decode(String.self))
        return StoreError.notFound("environment", environment, among: names)
    }

    /// The columns of a flag row, in the order of ``flagColumns``.
    typealias FlagColumns = (String, String, Int64, String?, Date?, String?, String?, Date, Date)
    static let flagColumns = "key, definition, version, kill_reason, killed_at, killed_by_id, killed_by_name, created_at, updated_at"

    static func flag(_ columns: FlagColumns) throws -> StoredFlag {
        let (key, definition, version, killReason, killedAt, killedByID, killedByName, createdAt, updatedAt) = columns
        let kill = killReason.map {
            StoredFlag.Kill(reason: $0, at: killedAt ?? createdAt, by: Author(id: killedByID ?? "", name: killedByName ?? ""))
        }
        return StoredFlag(
            key: key, definition: try JSONValue(parsing: definition), version: version, kill: kill, createdAt: createdAt, updatedAt: updatedAt)
    }

    /// Writes the rows that differ between two states of one environment.
    func persist(_ next: EnvironmentState, replacing current: EnvironmentState, _ connection: PostgresConnection) async throws {
        let environment = next.name
        if next.topLevel != current.topLevel {
            let topLevel = JSONValue.object(next.topLevel).serialized()
            try await connection.query("UPDATE environment SET top_level = \(topLevel) WHERE name = \(environment)", logger: logger)
        }
        for key in current.flags.keys where next.flags[key] == nil {
            try await connection.query("DELETE FROM flag WHERE environment = \(environment) AND key = \(key)", logger: logger)
        }
        for (key, flag) in next.flags where current.flags[key] != flag {
            try await connection.query(
                """
                INSERT INTO flag (environment, key, definition, version, kill_reason, killed_at, killed_by_id, killed_by_name,
                    created_at, updated_at)
                VALUES (\(environment), \(key), \(flag.definition.serialized()), \(flag.version), \(flag.kill?.reason), \(flag.kill?.at),
                    \(flag.kill?.by.id), \(flag.kill?.by.name), \(flag.createdAt), \(flag.updatedAt))
                ON CONFLICT (environment, key) DO UPDATE SET definition = EXCLUDED.definition, version = EXCLUDED.version,
                    kill_reason = EXCLUDED.kill_reason, killed_at = EXCLUDED.killed_at, killed_by_id = EXCLUDED.killed_by_id,
                    killed_by_name = EXCLUDED.killed_by_name, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at
                """, logger: logger)
        }
        for name in current.segments.keys where next.segments[name] == nil {
            try await connection.query("DELETE FROM segment WHERE environment = \(environment) AND name = \(name)", logger: logger)
        }
        for (name, segment) in next.segments where current.segments[name] != segment {
            try await connection.query(
                """
                INSERT INTO segment (environment, name, rule, version) VALUES (\(environment), \(name), \(segment.rule.serialized()), \(segment.version))
                ON CONFLICT (environment, name) DO UPDATE SET rule = EXCLUDED.rule, version = EXCLUDED.version
                """, logger: logger)
        }
    }

    func insertAudit(
        _ connection: PostgresConnection, environment: String?, flagKey: String?, action: String, author: Author, at: Date,
        before: JSONValue?, after: JSONValue?, reason: String?, version: Int64?
    ) async throws {
        try await connection.query(
            """
            INSERT INTO audit (environment, flag_key, action, author_id, author_name, at, before, after, reason, version)
            VALUES (\(environment), \(flagKey), \(action), \(author.id), \(author.name), \(at), \(before?.serialized()),
                \(after?.serialized()), \(reason), \(version))
            """, logger: logger)
    }

    func environmentExists(_ name: String, _ connection: PostgresConnection) async throws -> Bool {
        try await first(
            try await connection.query("SELECT EXISTS (SELECT 1 FROM environment WHERE name = \(name))", logger: logger).decode(Bool.self))
            ?? false
    }

    func insertKey(secret: String, _ request: APIKeyRequest, author: Author, _ connection: PostgresConnection) async throws -> APIKey {
        let environment = request.kind == .sdk ? request.environment ?? Environment.production : nil
        if let environment, try await !environmentExists(environment, connection) {
            throw StoreError.notFound("environment \(environment)")
        }
        let key = APIKey(
            id: APIKey.generateID(), kind: request.kind, environment: environment, name: request.name, createdAt: clock.date, revokedAt: nil)
        try await connection.query(
            """
            INSERT INTO api_key (id, kind, environment, name, hash, created_at)
            VALUES (\(key.id), \(key.kind.rawValue), \(key.environment), \(key.name), \(APIKey.hash(secret: secret)), \(key.createdAt))
            """, logger: logger)
        try await insertAudit(
            connection, environment: environment, flagKey: nil, action: "key.create", author: author, at: key.createdAt, before: nil,
            after: key.auditJSON, reason: nil, version: nil)
        return key
    }

    /// `id, kind, environment, name, created_at, revoked_at` of `api_key`.
    typealias KeyRow = (String, String, String?, String, Date, Date?)

    static func decodeKey(_ row: KeyRow) -> APIKey {
        APIKey(id: row.0, kind: APIKey.Kind(rawValue: row.1) ?? .sdk, environment: row.2, name: row.3, createdAt: row.4, revokedAt: row.5)
    }

    /// `id, environment, flag_key, action, author_id, author_name, at, before, after, reason, version` of `audit`.
    typealias AuditRow = (Int64, String?, String?, String, String, String, Date, String?, String?, String?, Int64?)

    static func decodeAudit(_ row: AuditRow) throws -> AuditEntry {
        AuditEntry(
            id: row.0, environment: row.1, flagKey: row.2, action: row.3, author: Author(id: row.4, name: row.5), at: row.6,
            before: try row.7.map { try JSONValue(parsing: $0) }, after: try row.8.map { try JSONValue(parsing: $0) }, reason: row.9,
            version: row.10)
    }

    /// `version, environment, at, flag_key, payload` of `change`.
    typealias ChangeRow = (Int64, String, Date, String?, String)

    static func decodeChange(_ row: ChangeRow) throws -> ChangeRecord {
        ChangeRecord(version: row.0, environment: row.1, at: row.2, payload: try ChangeRecord.Payload(flagKey: row.3, storedJSON: row.4))
    }

    /// Every element of a row sequence.
    func all<Rows: AsyncSequence>(_ rows: Rows) async throws -> [Rows.Element] {
        var elements: [Rows.Element] = []
        for try await element in rows { elements.append(element) }
        return elements
    }

    /// The first element of a row sequence, if any; the rest are drained.
    func first<Rows: AsyncSequence>(_ rows: Rows) async throws -> Rows.Element? {
        try await all(rows).first
    }
}
