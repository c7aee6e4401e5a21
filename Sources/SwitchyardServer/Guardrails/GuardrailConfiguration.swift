/// How the guardrail layer behaves: how often it evaluates, and where alerts go. It reads the time
/// from the server's clock (``ServerConfiguration/clock``).
public struct GuardrailConfiguration: Sendable {
    /// The time between two evaluations of every kill rule.
    public var ruleInterval: Duration
    /// The time between two steps of every running rollout.
    public var rolloutInterval: Duration
    /// URLs that receive a JSON `POST` for every kill-rule trip and rollback.
    public var webhooks: [String]
    /// How many times a webhook delivery is attempted.
    public var webhookAttempts: Int
    /// The wait before the first retry; it doubles with each further retry.
    public var webhookBackoff: Duration
    /// How long a webhook has to answer.
    public var webhookTimeout: Duration
    /// How long one-minute aggregates are kept.
    public var retention: Duration
    /// The most flag × variant × segment arms one environment's aggregates hold; events that would
    /// add more are refused one by one, counted in a metric and logged.
    public var maximumArmsPerEnvironment: Int

    /// The default of ``maximumArmsPerEnvironment``.
    public static let defaultMaximumArmsPerEnvironment = 20_000

    public init(
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
