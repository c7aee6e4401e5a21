import SwitchyardCore

/// What evaluations read: one immutable document and the state it was published in. A change
/// publishes a new snapshot; readers never see a half-applied one.
final class FlagSnapshot: Sendable {
    /// The compiled document, local breaker kills applied; empty when ``hasDocument`` is false.
    let document: FlagDocument
    /// Whether the client has a document at all.
    let hasDocument: Bool
    /// The server version of the document, `nil` for a bootstrap file or no document.
    let version: Int64?
    let state: ClientState

    init(document: FlagDocument?, version: Int64?, state: ClientState) {
        self.document = document ?? Self.empty
        hasDocument = document != nil
        self.version = version
        self.state = state
    }

    private static let empty: FlagDocument = {
        do {
            return try FlagDocument(json: ["flags": [:]])
        } catch {
            preconditionFailure("an empty flagd document always loads: \(error)")
        }
    }()
}
