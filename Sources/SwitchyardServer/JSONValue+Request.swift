import SwitchyardCore

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
