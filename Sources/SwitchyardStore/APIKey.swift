import Foundation

/// A stored API key: everything but the secret, of which only a SHA-256 hash is kept.
package struct APIKey: Sendable, Equatable {
    /// What a key may do.
    package enum Kind: String, Sendable, CaseIterable {
        /// Everything under `/api/v1`.
        case admin
        /// Evaluate, read its environment's flags, post events and receipts.
        case sdk
    }

    /// Public identifier, safe to show and log.
    package var id: String
    /// Admin or SDK.
    package var kind: Kind
    /// The environment of an SDK key; `nil` for admin keys.
    package var environment: String?
    /// A readable name.
    package var name: String
    /// When it was created.
    package var createdAt: Date
    /// When it was revoked, if it was.
    package var revokedAt: Date?

    package init(id: String, kind: Kind, environment: String?, name: String, createdAt: Date, revokedAt: Date?) {
        self.id = id
        self.kind = kind
        self.environment = environment
        self.name = name
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// The author recorded for writes made with this key.
    package var author: Author { Author(id: id, name: name) }
}

/// What a new key should be.
package struct APIKeyRequest: Sendable {
    package var kind: APIKey.Kind
    /// Required for SDK keys, ignored for admin keys.
    package var environment: String?
    package var name: String

    package init(kind: APIKey.Kind, environment: String?, name: String) {
        self.kind = kind
        self.environment = environment
        self.name = name
    }
}

/// A key just created: the only time its secret is known.
package struct IssuedAPIKey: Sendable {
    package var key: APIKey
    /// The secret to send as `Authorization: Bearer` or `X-API-Key`.
    package var secret: String

    package init(key: APIKey, secret: String) {
        self.key = key
        self.secret = secret
    }
}
