/// Where and how the flagd gRPC services listen.
package struct FlagdGRPCConfiguration: Sendable {
    /// The address to listen on (an IPv4 or IPv6 address; `localhost` is 127.0.0.1).
    package var host: String
    /// The port; 0 picks a free one.
    package var port: Int
    /// The largest request message accepted, in bytes; the transport resets the stream of a larger one.
    package var maximumRequestBytes: Int
    /// SDK keys bound to selectors, for clients that cannot send call metadata; none by default.
    package var selectorBindings: [FlagdSelectorBinding]
    /// How many calls one HTTP/2 connection may have open at once (advertised to clients): a flagd
    /// relay or a process with many providers multiplexes its streams over one connection.
    package var maximumStreamsPerConnection: Int

    /// The default ``maximumStreamsPerConnection``.
    package static let defaultMaximumStreamsPerConnection = 1_000

    /// The default ``maximumRequestBytes``: 1 MiB, the same as the HTTP API's body limit.
    package static let defaultMaximumRequestBytes = 1 << 20

    package init(
        host: String, port: Int, maximumRequestBytes: Int = FlagdGRPCConfiguration.defaultMaximumRequestBytes,
        selectorBindings: [FlagdSelectorBinding] = [],
        maximumStreamsPerConnection: Int = FlagdGRPCConfiguration.defaultMaximumStreamsPerConnection
    ) {
        self.host = host
        self.port = port
        self.maximumRequestBytes = maximumRequestBytes
        self.selectorBindings = selectorBindings
        self.maximumStreamsPerConnection = maximumStreamsPerConnection
    }
}
