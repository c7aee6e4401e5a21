/// How the server listens and behaves.
public struct ServerConfiguration: Sendable {
    /// The address to bind.
    public var host: String
    /// The port to bind; 0 picks a free one.
    public var port: Int
    /// The time between SSE heartbeats.
    public var heartbeatInterval: Duration
    /// How long an authenticated key is trusted before it is looked up again.
    public var keyCacheLifetime: Duration
    /// Kill rules, rollouts and webhooks.
    public var guardrails: GuardrailConfiguration
    /// The largest request body accepted, in bytes; larger ones get 413.
    public var maximumBodyBytes: Int

    /// The default of ``maximumBodyBytes``: 1 MiB.
    public static let defaultMaximumBodyBytes = 1 << 20

    public init(
        host: String = "127.0.0.1", port: Int = 8700, heartbeatInterval: Duration = .seconds(15),
        keyCacheLifetime: Duration = .seconds(10), guardrails: GuardrailConfiguration = GuardrailConfiguration(),
        maximumBodyBytes: Int = ServerConfiguration.defaultMaximumBodyBytes
    ) {
        self.host = host
        self.port = port
        self.heartbeatInterval = heartbeatInterval
        self.keyCacheLifetime = keyCacheLifetime
        self.guardrails = guardrails
        self.maximumBodyBytes = maximumBodyBytes
    }
}
