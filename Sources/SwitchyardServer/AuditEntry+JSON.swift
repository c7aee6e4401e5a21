import Foundation
import SwitchyardCore
import SwitchyardStore

/// The admin API's view of an audit entry.
extension AuditEntry {
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .integer(id), "action": .string(action), "at": at.json,
            "author": ["id": .string(author.id), "name": .string(author.name)],
        ]
        if let environment { members["environment"] = .string(environment) }
        if let flagKey { members["flag"] = .string(flagKey) }
        if let before { members["before"] = before }
        if let after { members["after"] = after }
        if let reason { members["reason"] = .string(reason) }
        if let version { members["version"] = .integer(version) }
        return .object(members)
    }
}
