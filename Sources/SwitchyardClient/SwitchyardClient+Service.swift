import ServiceLifecycle

extension SwitchyardClient: Service {
    /// Runs in a `ServiceGroup` until its graceful shutdown (or cancellation), then calls
    /// ``shutdown()``, so the queued events are flushed with the rest of the application.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }
}
