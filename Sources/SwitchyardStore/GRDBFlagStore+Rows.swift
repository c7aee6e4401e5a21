import Foundation
import GRDB
import SwitchyardCore

extension GRDBFlagStore {
    static func environmentExists(_ name: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM environment WHERE name = ?)", arguments: [name]) ?? false
    }

    static func loadState(_ environment: String, _ db: Database) throws -> EnvironmentState {
        guard let row = try Row.fetchOne(db, sql: "SELECT top_level FROM environment WHERE name = ?", arguments: [environment]) else {
            throw try environmentNotFound(environment, db)
        }
        var state = EnvironmentState(name: environment)
        state.topLevel = try decodeJSON(row["top_level"])?.objectValue ?? [:]
        for record in try FlagRecord.all(in: environment).fetchAll(db) {
            let flag = try record.stored()
            state.flags[flag.key] = flag
        }
        for record in try SegmentRecord.all(in: environment).fetchAll(db) {
            let segment = try record.stored()
            state.segments[segment.name] = segment
        }
        state.version =
            try Int64.fetchOne(db, sql: "SELECT MAX(version) FROM change WHERE environment = ?", arguments: [environment]) ?? 0
        return state
    }

    /// Not found, naming the closest environment when this name looks like a typo of one.
    static func environmentNotFound(_ environment: String, _ db: Database) throws -> StoreError {
        StoreError.notFound("environment", environment, among: try String.fetchAll(db, sql: "SELECT name FROM environment"))
    }

    /// Writes the rows that differ between two states of one environment.
    static func persist(_ next: EnvironmentState, replacing current: EnvironmentState, _ db: Database) throws {
        let environment = next.name
        if next.topLevel != current.topLevel {
            try db.execute(
                sql: "UPDATE environment SET top_level = ? WHERE name = ?",
                arguments: [JSONValue.object(next.topLevel).serialized(), environment])
        }
        for key in current.flags.keys where next.flags[key] == nil {
            try FlagRecord.one(key, in: environment).deleteAll(db)
        }
        for (key, flag) in next.flags where current.flags[key] != flag {
            try FlagRecord(flag, in: environment).insert(db, onConflict: .replace)
        }
        for name in current.segments.keys where next.segments[name] == nil {
            try SegmentRecord.one(name, in: environment).deleteAll(db)
        }
        for (name, segment) in next.segments where current.segments[name] != segment {
            try SegmentRecord(segment, in: environment).insert(db, onConflict: .replace)
        }
    }

    static func insertAudit(
        _ db: Database, environment: String?, flagKey: String?, action: String, author: Author, at: Date,
        before: JSONValue?, after: JSONValue?, reason: String?, version: Int64?
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO audit (environment, flag_key, action, author_id, author_name, at, before, after, reason, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                environment, flagKey, action, author.id, author.name, at, before?.serialized(), after?.serialized(), reason, version,
            ])
    }

    static func insertKey(secret: String, _ request: APIKeyRequest, author: Author, at createdAt: Date, _ db: Database) throws -> APIKey {
        let environment = request.kind == .sdk ? request.environment ?? Environment.production : nil
        if let environment, try !environmentExists(environment, db) {
            throw StoreError.notFound("environment \(environment)")
        }
        let key = APIKey(
            id: APIKey.generateID(), kind: request.kind, environment: environment, name: request.name, createdAt: createdAt,
            revokedAt: nil)
        try APIKeyRecord(key, hash: APIKey.hash(secret: secret)).insert(db)
        try insertAudit(
            db, environment: environment, flagKey: nil, action: "key.create", author: author, at: key.createdAt,
            before: nil, after: key.auditJSON, reason: nil, version: nil)
        return key
    }

    static func decodeAudit(_ row: Row) throws -> AuditEntry {
        AuditEntry(
            id: row["id"], environment: row["environment"], flagKey: row["flag_key"], action: row["action"],
            author: Author(id: row["author_id"], name: row["author_name"]), at: row["at"],
            before: try decodeJSON(row["before"]), after: try decodeJSON(row["after"]), reason: row["reason"], version: row["version"])
    }

    static func decodeChange(_ row: Row) throws -> ChangeRecord {
        ChangeRecord(
            version: row["version"], environment: row["environment"], at: row["at"],
            payload: try ChangeRecord.Payload(flagKey: row["flag_key"], storedJSON: row["payload"]))
    }

    static func decodeJSON(_ text: String?) throws -> JSONValue? {
        guard let text else { return nil }
        return try JSONValue(parsing: text)
    }
}

extension APIKey {
    /// What the audit log records for a key: never its secret or hash.
    package var auditJSON: JSONValue {
        var members: [String: JSONValue] = ["id": .string(id), "kind": .string(kind.rawValue), "name": .string(name)]
        if let environment { members["environment"] = .string(environment) }
        return .object(members)
    }
}
