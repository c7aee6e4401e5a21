/// Polls `condition` every 10 ms until it holds or `timeout` passes; returns whether it held.
package func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

/// `operation` ran longer than its time limit and was cancelled.
package struct TimedOut: Error, CustomStringConvertible {
    package let limit: Duration
    package var description: String { "no result within \(limit)" }
}

/// Runs `operation`, cancelling it and failing with ``TimedOut`` when it takes longer than `limit`,
/// so that a test waiting for something that never comes fails instead of hanging.
package func withTimeLimit<Result: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> Result) async throws -> Result {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else { throw TimedOut(limit: limit) }
        return result
    }
}
