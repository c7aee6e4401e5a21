import Foundation
import Hummingbird
import SwitchyardStore

/// `POST /api/v1/keys`: the key to issue.
struct APIKeyCreation: Decodable {
    /// `admin` or `sdk`.
    let kind: String
    /// The environment of an SDK key (production when absent); an admin key has none.
    let environment: String?
    let name: String?
}

/// The admin API's view of a key: never its hash, and its secret only in the answer that issued it.
struct APIKeyView: ResponseEncodable {
    let id: String
    let kind: String
    let name: String
    let createdAt: String
    let environment: String?
    let revokedAt: String?
    /// The secret, shown once.
    let key: String?

    init(_ key: APIKey, secret: String? = nil) {
        id = key.id
        kind = key.kind.rawValue
        name = key.name
        createdAt = key.createdAt.apiText
        environment = key.environment
        revokedAt = key.revokedAt?.apiText
        self.key = secret
    }
}

/// `GET /api/v1/keys`.
struct APIKeyList: ResponseEncodable {
    let keys: [APIKeyView]
}
