import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardStore

extension AdminController {
    @Sendable func listKeys(_ request: Request, context: SwitchyardRequestContext) async throws -> APIKeyList {
        APIKeyList(keys: try await store.apiKeys().map { APIKeyView($0) })
    }

    @Sendable func createKey(_ request: Request, context: SwitchyardRequestContext) async throws -> EditedResponse<APIKeyView> {
        let body = try await request.decode(as: APIKeyCreation.self, context: context)
        guard let kind = APIKey.Kind(rawValue: body.kind) else { throw APIError.badRequest("must be \"admin\" or \"sdk\"", path: "body.kind") }
        if kind == .admin, body.environment != nil {
            throw APIError.badRequest("admin keys are not bound to an environment", path: "body.environment")
        }
        let name = body.name ?? "\(kind.rawValue) key"
        let issued = try await issueKey(APIKeyRequest(kind: kind, environment: body.environment, name: name), by: try context.author)
        return EditedResponse(status: .created, response: APIKeyView(issued.key, secret: issued.secret))
    }

    @Sendable func revokeKey(_ request: Request, context: SwitchyardRequestContext) async throws -> APIKeyView {
        let id = try request.pathParameter("id", context: context)
        return APIKeyView(try await revokeKey(id: id, by: try context.author))
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
