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

    /// Evaluates `flag` (whose `keyHash` the caller computed) on this snapshot; `now` is
    /// `$flagd.timestamp`, read only when the targeting reads it.
    @inline(__always)
    func resolve(
        _ flag: String, keyHash flagHash: UInt64, as type: FlagValueType, default defaultValue: JSONValue, context: EvaluationContext,
        now: () -> Int64
    ) -> Resolution {
        guard hasDocument else { return Self.noDocument(flag, default: defaultValue) }
        return document.resolve(flag, keyHash: flagHash, as: type, default: defaultValue, context: context, now: now)
    }

    /// The code default with `FLAG_NOT_FOUND`, before any document; out of the evaluation path.
    @inline(never)
    private static func noDocument(_ flag: String, default defaultValue: JSONValue) -> Resolution {
        var resolution = Resolution.failure(.flagNotFound, "no flag document yet: flag \"\(flag)\" is unknown")
        resolution.value = defaultValue
        return resolution
    }

    private static let empty: FlagDocument = {
        do {
            return try FlagDocument(json: ["flags": [:]])
        } catch {
            preconditionFailure("an empty flagd document always loads: \(error)")
        }
    }()
}
