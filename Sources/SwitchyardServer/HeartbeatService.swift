import ServiceLifecycle

/// Sends an SSE comment to every stream at an interval, so proxies keep idle streams open and clients
/// notice a dead connection.
struct HeartbeatService: Service {
    let hub: StreamHub
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                hub.heartbeat()
            }
        }
    }
}
