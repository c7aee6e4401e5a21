import Foundation

/// A stored API key: everything but the secret, of which only a SHA-256 hash is kept.
public struct APIKey: Sendable, Equatable {
    /// What a key may do.
    public enum Kind: String, Sendable, CaseIterable {
        /// Everything under `/api/v1`.
        case admin
        /// Evaluate, read its environment's flags, post events and receipts.
        case sdk
    }

    /// Public identifier, safe to show and log.
    public var id: String
    /// Admin or SDK.
    public var kind: Kind
    /// The environment of an SDK key; `nil` for admin keys.
    public var environment: String?
    /// A readable name.
    public var name: String
    /// When it was created.
    public var createdAt: Date
    /// When it was revoked, if it was.
    public var revokedAt: Date?

    public init(id: String, kind: Kind, environment: String?, name: String, createdAt: Date, revokedAt: Date?) {
        self.id = id
        self.kind = kind
        self.environment = environment
        self.name = name
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// The author recorded for writes made with this key.
    public var author: Author { Author(id: id, name: name) }
}

/// What a new key should be.
public struct APIKeyRequest: Sendable {
    public var kind: APIKey.Kind
    /// Required for SDK keys, ignored for admin keys.
    public var environment: String?
    public var name: String

    public init(kind: APIKey.Kind, environment: String?, name: String) {
        self.kind = kind
        self.environment = environment
        self.name = name
    }
}

/// A key just created: the only time its secret is known.
public struct IssuedAPIKey: Sendable {
    public var key: APIKey
    /// The secret to send as `Authorization: Bearer` or `X-API-Key`.
    public var secret: String

    package init(key: APIKey, secret: String) {
        self.key = key
        self.secret = secret
    }
}
