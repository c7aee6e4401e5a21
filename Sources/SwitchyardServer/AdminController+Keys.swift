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
        do {
            let issued = try await store.createAPIKey(APIKeyRequest(kind: kind, environment: environment, name: name), by: try author(context))
            guard case .object(var members) = issued.key.json else { return .json(issued.key.json) }
            members["key"] = .string(issued.secret)
            return .json(.object(members), status: .created)
        } catch let error as StoreError {
            throw APIError(error)
        }
    }

    @Sendable func revokeKey(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let id = try request.pathParameter("id", context: context)
        do {
            let key = try await store.revokeAPIKey(id: id, by: try author(context))
            keys.removeAll()
            hub.revoke(keyID: key.id)
            return .json(key.json)
        } catch let error as StoreError {
            throw APIError(error)
        }
    }
}
