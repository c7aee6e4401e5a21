import Foundation
import SwitchyardCore
import SwitchyardStore

extension Date {
    var json: JSONValue { .string(formatted(.iso8601)) }
}

extension StoredFlag {
    /// The admin API's view of a flag.
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "key": .string(key), "version": .integer(version), "definition": definition, "permanent": .bool(isPermanent),
            "createdAt": createdAt.json, "updatedAt": updatedAt.json,
        ]
        if let kill {
            members["kill"] = ["reason": .string(kill.reason), "at": kill.at.json, "by": .string(kill.by.id)]
        }
        return .object(members)
    }

    /// The `ETag` of a flag: its version.
    var etag: String { "\"\(version)\"" }
}

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

extension JSONValue {
    /// The members of a request object, refusing members not in `allowed` (400 naming the member).
    func requestObject(allowed: Set<String>, path: String = "body") throws -> [String: JSONValue] {
        guard case .object(let members) = self else {
            throw APIError.badRequest("must be a JSON object, found \(typeName)", path: path)
        }
        if let unknown = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIError.badRequest("unknown member; expected \(allowed.sorted().joined(separator: ", "))", path: "\(path).\(unknown)")
        }
        return members
    }

    /// A string member, or 400 naming it.
    static func requireString(_ members: [String: JSONValue], _ name: String, path: String = "body") throws -> String {
        guard let value = members[name]?.stringValue, !value.isEmpty else {
            throw APIError.badRequest("required, a non-empty string", path: "\(path).\(name)")
        }
        return value
    }
}
