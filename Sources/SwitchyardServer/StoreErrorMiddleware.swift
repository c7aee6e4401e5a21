import Hummingbird
import SwitchyardStore

/// Answers a ``StoreError`` that no handler turned into an answer (a store that cannot be reached
/// while a key is looked up or a state read, most often) as the API answers it, instead of a 500.
struct StoreErrorMiddleware: RouterMiddleware {
    typealias Context = SwitchyardRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as StoreError {
            throw APIError(error)
        }
    }
}
