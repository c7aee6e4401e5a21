import Logging
import SwitchyardGuard

extension SwitchyardClient {
    /// How a client starts, syncs and reports. Every member has a default that suits a web service.
    public struct Options: Sendable {
        /// Where the last known good document is kept between runs; `nil` keeps none.
        /// Written atomically (a temporary file, then a rename) after each change.
        public var cacheFile: String?
        /// A flagd document shipped with the application, served when neither the server nor the
        /// cache has a document.
        public var bootstrapFile: String?
        /// How long starting waits for the server's document before serving what it has.
        public var startTimeout: Duration
        /// The limit for one request (document fetch, receipt, event batch).
        public var requestTimeout: Duration
        /// A stream that delivers nothing (not even a heartbeat) for this long is reconnected.
        public var streamIdleTimeout: Duration
        /// Whether to sync over the SSE stream; `false` polls with ETags instead.
        public var streaming: Bool
        /// The time between polls when polling.
        public var pollInterval: Duration
        /// The first and the longest wait between reconnection attempts (jittered, doubling).
        public var reconnectDelay: ClosedRange<Duration>
        /// The time between event flushes.
        public var flushInterval: Duration
        /// A flush starts early once this many events are queued; also the largest batch posted.
        public var flushSize: Int
        /// The most events held; beyond it the oldest are dropped (and counted).
        public var maximumQueuedEvents: Int
        /// How often one batch is posted before it is given up (and counted as dropped).
        public var maximumSendAttempts: Int
        /// Whether evaluations report exposures (one per unit, flag and variant within ``exposureWindow``).
        public var exposures: Bool
        /// The window within which a unit's exposure to one variant is reported once.
        public var exposureWindow: Duration
        /// How long the client may spend on the final flush when it stops.
        public var shutdownTimeout: Duration
        /// Identifies this process in propagation receipts; random by default.
        public var clientID: String?
        /// Where the client logs; it never prints.
        public var logger: Logger
        /// Where the client reads the time of day: event times, exposure windows, local breakers.
        public var clock: WallClock

        public init(
            cacheFile: String? = nil,
            bootstrapFile: String? = nil,
            startTimeout: Duration = .seconds(2),
            requestTimeout: Duration = .seconds(5),
            streamIdleTimeout: Duration = .seconds(60),
            streaming: Bool = true,
            pollInterval: Duration = .seconds(30),
            reconnectDelay: ClosedRange<Duration> = .milliseconds(250) ... .seconds(30),
            flushInterval: Duration = .seconds(5),
            flushSize: Int = 500,
            maximumQueuedEvents: Int = 10_000,
            maximumSendAttempts: Int = 5,
            exposures: Bool = true,
            exposureWindow: Duration = .seconds(600),
            shutdownTimeout: Duration = .seconds(5),
            clientID: String? = nil,
            logger: Logger = Logger(label: "switchyard.client"),
            clock: WallClock = .system
        ) {
            self.cacheFile = cacheFile
            self.bootstrapFile = bootstrapFile
            self.startTimeout = startTimeout
            self.requestTimeout = requestTimeout
            self.streamIdleTimeout = streamIdleTimeout
            self.streaming = streaming
            self.pollInterval = pollInterval
            self.reconnectDelay = reconnectDelay
            self.flushInterval = flushInterval
            self.flushSize = flushSize
            self.maximumQueuedEvents = maximumQueuedEvents
            self.maximumSendAttempts = maximumSendAttempts
            self.exposures = exposures
            self.exposureWindow = exposureWindow
            self.shutdownTimeout = shutdownTimeout
            self.clientID = clientID
            self.logger = logger
            self.clock = clock
        }
    }
}
