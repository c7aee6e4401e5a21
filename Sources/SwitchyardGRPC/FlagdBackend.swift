import SwitchyardCore

/// What the flagd gRPC services need from the flag service, implemented by the server: the
/// services hold the protocol, the backend holds the rules (keys, snapshots, the change fan-out,
/// propagation receipts, evaluation metrics), so gRPC clients are served exactly as OFREP and SSE
/// clients are.
package protocol FlagdBackend: Sendable {
    /// The live key with this secret, `nil` when there is none (unknown or revoked).
    func key(secret: String) async throws -> FlagdKey?

    /// The live key with this id, `nil` when there is none (unknown or revoked); for
    /// ``FlagdSelectorBinding``s.
    func key(id: String) async throws -> FlagdKey?

    /// The environment's current document, `nil` while it is not loaded.
    func snapshot(of environment: String) -> FlagdSnapshot?

    /// Follows an environment's changes for a stream opened with key `keyID` by `client`: calls
    /// `onChange` with the current version once subscribed, then with each change's version, until
    /// the subscription ends (the key is revoked, the stream falls too far behind, graceful
    /// shutdown, or the calling task is cancelled), then unsubscribes.
    func follow(
        environment: String, client: String, keyID: String, onChange: (Int64) async throws -> Void
    ) async throws

    /// Records that `version` was written to `client`'s stream (`propagation`'s "delivered").
    func delivered(version: Int64, environment: String, client: String)

    /// The server's clock in whole seconds since the Unix epoch, for `$flagd.timestamp`.
    func timestamp() -> Int64

    /// Records one evaluation (metrics, the evaluation-budget log), as OFREP's are recorded.
    func evaluated(flag: String, _ resolution: Resolution, environment: String)
}

/// An API key as the gRPC services see it.
package enum FlagdKey: Sendable, Equatable {
    /// An SDK key: it reads its environment's flags.
    case sdk(id: String, environment: String)
    /// An admin key: it may not read flags over gRPC.
    case admin(id: String)
}

/// One environment's document at one version.
package struct FlagdSnapshot: Sendable {
    /// The newest change applied.
    package let version: Int64
    /// The compiled document the environment evaluates to (kills and rollout steps applied).
    package let document: FlagDocument

    package init(version: Int64, document: FlagDocument) {
        self.version = version
        self.document = document
    }
}
