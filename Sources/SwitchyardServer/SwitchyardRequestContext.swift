import Hummingbird
import SwitchyardStore

/// The request context of every route: the authenticated key, once the auth middleware found it.
package struct SwitchyardRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The key the request was made with.
    package var apiKey: APIKey?

    package init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// The largest request body read; larger ones get 413. ``BodyLimitMiddleware`` sets it from the
    /// server's configuration.
    package var maxUploadSize = ServerConfiguration.defaultMaximumBodyBytes
}
