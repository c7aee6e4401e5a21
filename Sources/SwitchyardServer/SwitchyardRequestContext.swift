import Hummingbird
import SwitchyardStore

/// The request context of every route: the authenticated key, once the auth middleware found it.
public struct SwitchyardRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The key the request was made with.
    public var apiKey: APIKey?

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// The largest request body read; larger ones get 413. ``BodyLimitMiddleware`` sets it from the
    /// server's configuration.
    public var maxUploadSize = ServerConfiguration.defaultMaximumBodyBytes
}
