import GRPCCore

extension ServerContext {
    /// Runs a stream's `operation` until it ends or gRPC cancels the RPC (the client went away or
    /// reset the stream), whichever comes first; then `operation` is cancelled, so that a stream
    /// waiting for the next change unsubscribes instead of outliving its client. gRPC signals a
    /// cancelled RPC only through ``cancellation``, not by cancelling the handler's task.
    func streamUntilCancelled(_ operation: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask(operation: operation)
            group.addTask { [cancellation] in try await cancellation.cancelled }
            try await group.next()
            group.cancelAll()
        }
    }
}
