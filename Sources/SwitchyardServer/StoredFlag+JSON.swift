import Foundation
import SwitchyardCore
import SwitchyardStore

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
