import Foundation
import GRDB
import SwitchyardCore

/// A row of the `flag` table (the schema is the raw-SQL migrations'): the definition as JSON text,
/// the kill in four nullable columns.
struct FlagRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "flag"

    var environment: String
    var key: String
    var definition: String
    var version: Int64
    var killReason: String?
    var killedAt: Date?
    var killedById: String?
    var killedByName: String?
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case environment, key, definition, version
        case killReason = "kill_reason"
        case killedAt = "killed_at"
        case killedById = "killed_by_id"
        case killedByName = "killed_by_name"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    enum Columns {
        static let environment = Column(CodingKeys.environment)
        static let key = Column(CodingKeys.key)
    }

    init(_ flag: StoredFlag, in environment: String) {
        self.environment = environment
        key = flag.key
        definition = flag.definition.serialized()
        version = flag.version
        killReason = flag.kill?.reason
        killedAt = flag.kill?.at
        killedById = flag.kill?.by.id
        killedByName = flag.kill?.by.name
        createdAt = flag.createdAt
        updatedAt = flag.updatedAt
    }

    /// The flag the row holds.
    func stored() throws -> StoredFlag {
        let kill = killReason.map {
            StoredFlag.Kill(reason: $0, at: killedAt ?? createdAt, by: Author(id: killedById ?? "", name: killedByName ?? ""))
        }
        return StoredFlag(
            key: key, definition: try JSONValue(parsing: definition), version: version, kill: kill, createdAt: createdAt, updatedAt: updatedAt)
    }

    /// The rows of one environment.
    static func all(in environment: String) -> QueryInterfaceRequest<FlagRecord> {
        filter(Columns.environment == environment)
    }

    /// One flag's row.
    static func one(_ key: String, in environment: String) -> QueryInterfaceRequest<FlagRecord> {
        filter(Columns.environment == environment && Columns.key == key)
    }
}

/// A row of the `segment` table: the rule as JSON text and its version.
struct SegmentRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "segment"

    var environment: String
    var name: String
    var rule: String
    var version: Int64

    enum Columns {
        static let environment = Column(CodingKeys.environment)
        static let name = Column(CodingKeys.name)
    }

    init(_ segment: StoredSegment, in environment: String) {
        self.environment = environment
        name = segment.name
        rule = segment.rule.serialized()
        version = segment.version
    }

    /// The segment the row holds.
    func stored() throws -> StoredSegment {
        StoredSegment(name: name, rule: try JSONValue(parsing: rule), version: version)
    }

    /// The rows of one environment.
    static func all(in environment: String) -> QueryInterfaceRequest<SegmentRecord> {
        filter(Columns.environment == environment)
    }

    /// One segment's row.
    static func one(_ name: String, in environment: String) -> QueryInterfaceRequest<SegmentRecord> {
        filter(Columns.environment == environment && Columns.name == name)
    }
}

/// A row of the `api_key` table: the key without its secret, and the secret's hash.
struct APIKeyRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "api_key"

    var id: String
    var kind: String
    var environment: String?
    var name: String
    var hash: String
    var createdAt: Date
    var revokedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, kind, environment, name, hash
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let hash = Column(CodingKeys.hash)
        static let createdAt = Column(CodingKeys.createdAt)
        static let revokedAt = Column(CodingKeys.revokedAt)
    }

    init(_ key: APIKey, hash: String) {
        id = key.id
        kind = key.kind.rawValue
        environment = key.environment
        name = key.name
        self.hash = hash
        createdAt = key.createdAt
        revokedAt = key.revokedAt
    }

    /// The key the row holds.
    var key: APIKey {
        APIKey(id: id, kind: APIKey.Kind(rawValue: kind) ?? .sdk, environment: environment, name: name, createdAt: createdAt, revokedAt: revokedAt)
    }

    /// Every key, oldest first.
    static var inOrder: QueryInterfaceRequest<APIKeyRecord> { order(Columns.createdAt, Columns.id) }
}
