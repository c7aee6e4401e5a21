import Hummingbird
import SwitchyardStore

/// Requires a key of one kind: 401 without a valid key, 403 with a key of the other kind.
///
/// The key's id reaches the log lines written while the request is handled through
/// ``RequestKeyID``, read only when a line is written: setting logger metadata on every request
/// re-renders all of it (3.7 % of the server's CPU on OFREP).
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
        return try await RequestKeyID.$current.withValue(key.id) { try await next(request, context) }
    }
}
