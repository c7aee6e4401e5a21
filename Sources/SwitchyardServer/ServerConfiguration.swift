import Foundation
import SwitchyardDashboard
import SwitchyardGRPC
import SwitchyardGuard

/// How the server listens and behaves.
package struct ServerConfiguration: Sendable {
    /// The address to bind.
    package var host: String
    /// The port to bind; 0 picks a free one.
    package var port: Int
    /// The time between SSE heartbeats.
    package var heartbeatInterval: Duration
    /// How long an authenticated key is trusted before it is looked up again.
    package var keyCacheLifetime: Duration
    /// Kill rules, rollouts and webhooks.
    package var guardrails: GuardrailConfiguration
    /// The largest request body accepted, in bytes; larger ones get 413.
    package var maximumBodyBytes: Int
    /// The OFREP evaluations each SDK key may request per second, which is also the burst it may
    /// send at once; more get 429 with `Retry-After`. `nil`, the default, sets no limit.
    package var ofrepRateLimit: Int?
    /// How much of the change feed is kept, and how often the rest is pruned.
    package var changeRetention: ChangeRetention
    /// Where the server reads the time of day: event times, kill rules and rollouts, rate limits,
    /// change-feed pruning, propagation, stale flags and dashboard sessions; tests move it. The
    /// store is given the same clock, for the times it records (changes, audit, keys, batches).
    package var clock: WallClock
    /// How long a connection may send nothing the server can act on before it is closed: between
    /// requests, while the request head is incomplete (a half-sent request), and between pieces of
    /// a request body. A stream (SSE) being answered is never idle.
    package var idleTimeout: Duration
    /// The dashboard's sessions: idle timeout, how many, secure cookies.
    package var dashboard: DashboardConfiguration
    /// flagd's gRPC protocols (sync and evaluation) on a port of their own; `nil`, the default,
    /// serves none.
    package var grpc: FlagdGRPCConfiguration?

    /// The default of ``maximumBodyBytes``: 1 MiB.
    package static let defaultMaximumBodyBytes = 1 << 20
    /// The default of ``idleTimeout``: 30 seconds.
    package static let defaultIdleTimeout = Duration.seconds(30)

    /// - Precondition: `ofrepRateLimit`, when set, is at least 1.
    package init(
        host: String = "127.0.0.1", port: Int = 8700, heartbeatInterval: Duration = .seconds(15),
        keyCacheLifetime: Duration = .seconds(10), guardrails: GuardrailConfiguration = GuardrailConfiguration(),
        maximumBodyBytes: Int = ServerConfiguration.defaultMaximumBodyBytes, ofrepRateLimit: Int? = nil,
        changeRetention: ChangeRetention = ChangeRetention(), clock: WallClock = .system,
        idleTimeout: Duration = ServerConfiguration.defaultIdleTimeout,
        dashboard: DashboardConfiguration = DashboardConfiguration(), grpc: FlagdGRPCConfiguration? = nil
    ) {
        precondition(ofrepRateLimit.map { $0 >= 1 } ?? true, "ofrepRateLimit must be at least 1 request per second, or nil for no limit")
        self.host = host
        self.port = port
        self.heartbeatInterval = heartbeatInterval
        self.keyCacheLifetime = keyCacheLifetime
        self.guardrails = guardrails
        self.maximumBodyBytes = maximumBodyBytes
        self.ofrepRateLimit = ofrepRateLimit
        self.changeRetention = changeRetention
        self.clock = clock
        self.idleTimeout = idleTimeout
        self.dashboard = dashboard
        self.grpc = grpc
    }
}
