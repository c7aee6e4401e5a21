import Hummingbird
import SwitchyardStore

/// Requires a key of one kind: 401 without a valid key, 403 with a key of the other kind.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = SwitchyardRequestContext

    let kind: APIKey.Kind
    let keys: KeyCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let secret = request.apiKeySecret, !secret.isEmpty else { throw APIError.missingKey }
        guard let key = try await keys.key(secret: secret) else { throw APIError.invalidKey }
        guard key.kind == kind else {
            throw APIError.forbidden("this endpoint needs an \(kind.rawValue) key; \(key.id) is an \(key.kind.rawValue) key")
        }
        var context = context
        context.apiKey = key
        context.logger[metadataKey: "key_id"] = .string(key.id)
        return try await next(request, context)
    }
}
