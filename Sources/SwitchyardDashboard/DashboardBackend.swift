import SwitchyardCore
import SwitchyardStore

/// What the dashboard needs from the server, implemented by `SwitchyardServer` with its own write
/// path (locks, audit, change feed), guardrails and streams. The dashboard never touches the store
/// directly for writes, so a change made here is the same change the admin API makes.
///
/// Methods throw ``DashboardError`` for refusals a person should read (a validation problem, a
/// locked rollout, a missing flag); other errors are shown as a generic failure.
package protocol DashboardBackend: Sendable {
    /// The key with this secret when it is live, or `nil`. The dashboard signs in admin keys only.
    func key(secret: String) async throws -> APIKey?
    /// The names of every environment.
    func environments() async throws -> [SwitchyardStore.Environment]
    /// Everything an environment holds.
    func state(of environment: String) async throws -> EnvironmentState
    /// Applies a change through the server's write path, audited with `author`.
    func apply(_ mutation: Mutation, in environment: String, by author: Author, reason: String?) async throws
    /// Adds an environment.
    func createEnvironment(named name: String, by author: Author) async throws
    /// Guardrail state of a flag, `nil` without guardrails; the variant report only when asked for.
    func guardrails(of flag: String, in environment: String, withReport: Bool) async throws -> DashboardGuardrails?
    /// Pauses, resumes or aborts a flag's rollout.
    func rollout(_ command: DashboardRolloutCommand, flag: String, in environment: String, by author: Author) async throws
    /// How far the flag's latest change has reached the connected clients (the propagation API's
    /// body), `nil` when it never changed on its own.
    func propagation(of flag: String, in environment: String) async throws -> JSONValue?
    /// The newest audit entries, of one flag or all.
    func audit(in environment: String, flag: String?, limit: Int) async throws -> [AuditEntry]
    /// Every API key, live and revoked.
    func apiKeys() async throws -> [APIKey]
    /// Creates a key; the secret is in the answer only.
    func createKey(_ request: APIKeyRequest, by author: Author) async throws -> IssuedAPIKey
    /// Revokes a key.
    func revokeKey(id: String, by author: Author) async throws -> APIKey
    /// The changes announced to the environment's streams from now on, with heartbeats, for a page
    /// signed in with the key `keyID` (revoking the key ends the sequence); `cancel()` ends it too.
    func subscribe(to environment: String, keyID: String) -> DashboardSubscription
}

/// A flag's guardrails as the API shows them: `GET rules`, `GET rollout` and `GET report` bodies.
package struct DashboardGuardrails: Sendable {
    /// The kill rules with their current values and bounds.
    package var rules: JSONValue
    /// The rollout's status and timeline, `nil` without a rollout.
    package var rollout: JSONValue?
    /// The variant report (arms with values and minute sparklines, comparisons), `nil` when the flag
    /// has no control to compare against.
    package var report: JSONValue?

    /// The three bodies as the guardrail API answers them.
    package init(rules: JSONValue, rollout: JSONValue?, report: JSONValue?) {
        self.rules = rules
        self.rollout = rollout
        self.report = report
    }
}

/// What a person can do to a running rollout.
package enum DashboardRolloutCommand: String, Sendable, CaseIterable {
    /// Stop advancing; the current stage keeps serving.
    case pause
    /// Advance again once the stage's conditions hold.
    case resume
    /// End the rollout and restore the pre-rollout targeting with the split at 0 %.
    case abort
}

/// One thing a dashboard stream learns.
package enum DashboardChange: Sendable, Equatable {
    /// Nothing changed; the connection is alive.
    case heartbeat
    /// The environment changed to `version`; `flag` names the flag when one changed alone.
    case change(version: Int64, flag: String?)
}

/// A live feed of changes; ``cancel()`` ends ``changes``.
package struct DashboardSubscription: Sendable {
    /// The changes, ending when cancelled.
    package let changes: any AsyncSequence<DashboardChange, Never> & Sendable
    private let onCancel: @Sendable () -> Void

    /// A feed of `changes` that `cancel` ends.
    package init(changes: any AsyncSequence<DashboardChange, Never> & Sendable, cancel: @escaping @Sendable () -> Void) {
        self.changes = changes
        self.onCancel = cancel
    }

    /// Ends the feed.
    package func cancel() { onCancel() }
}
