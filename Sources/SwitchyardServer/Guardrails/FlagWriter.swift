import SwitchyardStore

/// The one write path for flag changes: the store (flag, audit entry and change-feed row in one
/// transaction), then the snapshot and every connected stream.
///
/// The guardrail services kill and retarget flags through it, exactly as an admin's request does.
struct FlagWriter: Sendable {
    let store: any FlagStore
    let feed: ChangeFeed
    let metrics: ServerMetrics

    /// The author of the guardrail layer's own changes.
    static let guardrails = Author(id: "guardrails", name: "switchyard guardrails")

    /// Applies a change and announces it; a kill also counts in the metrics.
    @discardableResult
    func apply(_ mutation: Mutation, to environment: String, by author: Author, reason: String?) async throws -> ChangeRecord {
        let change = try await store.apply(mutation, to: environment, by: author, reason: reason)
        try await feed.catchUp(environment)
        if case .kill = mutation { metrics.kills.increment() }
        return change
    }
}
