/// A role that at most one of the servers sharing a store holds at a time (running the kill-rule
/// and rollout services), taken over by another when its holder dies.
package protocol ExclusiveRole: Sendable {
    /// Waits until this server holds the role, then runs `body` while it does; when the role is lost
    /// `body` is cancelled and the server waits to hold it again. Returns when cancelled.
    func whileHeld(_ body: @escaping @Sendable () async throws -> Void) async
}
