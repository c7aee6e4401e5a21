import Foundation
import SwitchyardCore
import SwitchyardStore

/// The admin API's view of a key: never its secret or hash.
extension APIKey {
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "kind": .string(kind.rawValue), "name": .string(name), "createdAt": createdAt.json,
        ]
        if let environment { members["environment"] = .string(environment) }
        if let revokedAt { members["revokedAt"] = revokedAt.json }
        return .object(members)
    }
}
