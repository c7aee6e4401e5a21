import HTTPTypes
import Hummingbird

/// Cross-origin access for browser clients of the SDK-key endpoints (OFREP and flag sync). Keys travel
/// in headers, never cookies, so any origin may call.
enum CORS {
    static func middleware() -> CORSMiddleware<SwitchyardRequestContext> {
        CORSMiddleware(
            allowOrigin: .all,
            allowHeaders: [
                .accept, .authorization, .contentType, .origin, .xAPIKey, .ifNoneMatch, .lastEventID, .switchyardClient, .flagdSelector,
            ],
            allowMethods: [.get, .post, .options],
            exposedHeaders: ["ETag"],
            maxAge: .seconds(600))
    }

    /// Routes preflight requests for `paths`; the CORS middleware answers them before authentication.
    static func addPreflightRoutes(_ paths: [RouterPath], to group: RouterGroup<SwitchyardRequestContext>) {
        for path in paths {
            group.on(path, method: .options) { _, _ in Response(status: .noContent) }
        }
    }
}
