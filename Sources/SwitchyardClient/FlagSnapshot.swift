import Atomics
import SwitchyardCore

/// What evaluations read: one immutable document and the state it was published in. A change
/// publishes a new snapshot; readers never see a half-applied one.
final class FlagSnapshot: AtomicReference, Sendable {
    /// The compiled document, local breaker kills applied; `nil` when the client has none.
    let document: FlagDocument?
    /// The server version of the document, `nil` for a bootstrap file or no document.
    let version: Int64?
    let state: ClientState

    init(document: FlagDocument?, version: Int64?, state: ClientState) {
        self.document = document
        self.version = version
        self.state = state
    }
}
