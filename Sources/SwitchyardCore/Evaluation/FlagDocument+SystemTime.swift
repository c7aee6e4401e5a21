#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension FlagDocument {
    /// The system's clock in whole seconds since the Unix epoch: the default `now` of
    /// ``resolve(_:context:now:)`` for callers without a clock of their own (the CLI's `eval`,
    /// tests). The server and the client pass their injected `WallClock` instead, so that every
    /// time they read, `$flagd.timestamp` included, comes from one clock.
    public static func systemTimestamp() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec)
    }
}
