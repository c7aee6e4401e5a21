/// How the guardrail layer behaves: how often it evaluates, and where alerts go. It reads the time
/// from the server's clock (``ServerConfiguration/clock``).
package struct GuardrailConfiguration: Sendable {
    /// The time between two evaluations of every kill rule.
    package var ruleInterval: Duration
    /// The time between two steps of every running rollout.
    package var rolloutInterval: Duration
    /// URLs that receive a JSON `POST` for every kill-rule trip and rollback.
    package var webhooks: [String]
    /// How many times a webhook delivery is attempted.
    package var webhookAttempts: Int
    /// The wait before the first retry; it doubles with each further retry.
    package var webhookBackoff: Duration
    /// How long a webhook has to answer.
    package var webhookTimeout: Duration
    /// How long one-minute aggregates are kept.
    package var retention: Duration
    /// The most flag × variant × segment arms one environment's aggregates hold; events that would
    /// add more are refused one by one, counted in a metric and logged.
    package var maximumArmsPerEnvironment: Int

    /// The default of ``maximumArmsPerEnvironment``.
    package static let defaultMaximumArmsPerEnvironment = 20_000

    package init(
        ruleInterval: Duration = .seconds(1), rolloutInterval: Duration = .seconds(60), webhooks: [String] = [],
        webhookAttempts: Int = 5, webhookBackoff: Duration = .seconds(1), webhookTimeout: Duration = .seconds(10),
        retention: Duration = .seconds(2 * 86_400), maximumArmsPerEnvironment: Int = defaultMaximumArmsPerEnvironment
    ) {
        self.ruleInterval = ruleInterval
        self.rolloutInterval = rolloutInterval
        self.webhooks = webhooks
        self.webhookAttempts = webhookAttempts
        self.webhookBackoff = webhookBackoff
        self.webhookTimeout = webhookTimeout
        self.retention = retention
        self.maximumArmsPerEnvironment = maximumArmsPerEnvironment
    }
}
