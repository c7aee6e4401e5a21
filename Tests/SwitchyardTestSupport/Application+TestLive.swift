import Hummingbird
import HummingbirdTesting
import Synchronization

/// The application of a live test never started listening.
package struct ApplicationDidNotStart: Error, CustomStringConvertible {
    package let limit: Duration
    package var description: String {
        "the application did not start listening within \(limit): it stopped before (a store that cannot load, a port in use) or is stuck starting"
    }
}

extension ApplicationProtocol {
    /// `test(.live)`, failing with ``ApplicationDidNotStart`` instead of hanging when the application
    /// has not started listening within `limit`.
    ///
    /// HummingbirdTesting waits for the live server's port without a limit and without reacting to
    /// cancellation, so an application that stops before it listens (its `beforeServerStarts` work
    /// throws) would hold the whole test run. Here the test fails, and the stuck wait is abandoned
    /// to end with the process. Once `test` has started, it runs to its own end.
    package func testLive<Value: Sendable>(
        startingWithin limit: Duration = .seconds(120), _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let started = StartedFlag()
        let (outcomes, outcome) = AsyncStream<Result<Value, any Error>>.makeStream()
        // Unstructured on purpose: a task group could not be left while the framework's wait is stuck.
        let run = Task { [self] in
            do {
                outcome.yield(
                    .success(
                        try await self.test(.live) { client in
                            started.set()
                            return try await test(client)
                        }))
            } catch {
                outcome.yield(.failure(error))
            }
            outcome.finish()
        }
        defer { if !started.isSet { run.cancel() } }
        return try await withTaskCancellationHandler {
            try await withThrowingTaskGroup(of: Result<Value, any Error>?.self) { group in
                group.addTask {
                    for await result in outcomes { return result }
                    return .failure(CancellationError())
                }
                group.addTask {
                    try await Task.sleep(for: limit)
                    return started.isSet ? nil : .failure(ApplicationDidNotStart(limit: limit))
                }
                defer { group.cancelAll() }
                while let next = try await group.next() {
                    if let result = next { return try result.get() }
                }
                throw CancellationError()
            }
        } onCancel: {
            run.cancel()
        }
    }
}

/// Whether a live test's body has started, read from other tasks.
private final class StartedFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .releasing) }

    var isSet: Bool { value.load(ordering: .acquiring) }
}
