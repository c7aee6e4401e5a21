import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardStore

extension AdminController {
    @Sendable func listKeys(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        .json(["keys": .array(try await store.apiKeys().map(\.json))])
    }

    @Sendable func createKey(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let body = try await request.json(context: context).requestObject(allowed: ["kind", "environment", "name"])
        let kindName = try JSONValue.requireString(body, "kind")
        guard let kind = APIKey.Kind(rawValue: kindName) else { throw APIError.badRequest("must be \"admin\" or \"sdk\"", path: "body.kind") }
        let environment = body["environment"]?.stringValue
        if kind == .admin, environment != nil {
            throw APIError.badRequest("admin keys are not bound to an environment", path: "body.environment")
        }
        let name = body["name"]?.stringValue ?? "\(kind.rawValue) key"
        let issued = try await issueKey(APIKeyRequest(kind: kind, environment: environment, name: name), by: try context.author)
        guard case .object(var members) = issued.key.json else { return .json(issued.key.json) }
        members["key"] = .string(issued.secret)
        return .json(.object(members), status: .created)
    }

    @Sendable func revokeKey(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let id = try request.pathParameter("id", context: context)
        return .json(try await revokeKey(id: id, by: try context.author).json)
    }

    /// Creates a key (the API and the dashboard).
    func issueKey(_ request: APIKeyRequest, by author: Author) async throws -> IssuedAPIKey {
        try await store.createAPIKey(request, by: author)
    }

    /// Revokes a key, forgets the cached keys and ends its streams, so it stops working at once.
    func revokeKey(id: String, by author: Author) async throws -> APIKey {
        let key = try await store.revokeAPIKey(id: id, by: author)
        keys.removeAll()
        hub.revoke(keyID: key.id)
        return key
    }
}
