import Logging
import ServiceLifecycle

extension SwitchyardClient: Service {
    /// Runs the client until its graceful shutdown (or cancellation): fetches the server's
    /// document (waiting at most ``Options/startTimeout`` for the first answer), then keeps it
    /// current, sends events in batches and evaluates the local breakers, each loop a child task
    /// of this call. On graceful shutdown it stops syncing, flushes the queued events within
    /// ``Options/shutdownTimeout`` and closes its connections; evaluations keep serving the last
    /// document afterwards. Cancellation skips the flush. A client runs once.
    public func run() async throws {
        guard started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else {
            preconditionFailure("a SwitchyardClient runs once; create another client to run again")
        }
        await withTaskGroup(of: Void.self) { events in
            events.addTask { await self.runEventPump() }
            await withTaskGroup(of: Void.self) { work in
                work.addTask { await self.runBreakers() }
                await withTaskGroup(of: Void.self) { loops in
                    loops.addTask {
                        await self.fetchAtStart()
                        await self.runSync()
                    }
                    loops.addTask { await self.runTicker() }
                    loops.addTask { try? await gracefulShutdown() }
                    // The shutdown waiter ends first: the other loops run until cancelled.
                    await loops.next()
                    loops.cancelAll()
                }
                breakerSignal.finish()
            }
            // The breakers have ended, so their last trips are queued before the final flush.
            flushSignal.finish()
        }
        do {
            try await http.shutdown()
        } catch {
            logger.debug("closing the HTTP client failed", metadata: ["error": "\(error)"])
        }
        setConnected(false)
    }

    /// Asks for a flush and a breaker check every ``Options/flushInterval`` until cancelled.
    private func runTicker() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: options.flushInterval)
            } catch {
                return
            }
            flushSignal.yield()
            breakerSignal.yield()
        }
    }

    /// Waits until the client serves the server's document (``ClientState/ready``); `false` when
    /// `timeout` passes first.
    public func waitUntilReady(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while state != .ready {
            guard ContinuousClock.now < deadline else { return false }
            do {
                try await Task.sleep(for: .milliseconds(5))
            } catch {
                return state == .ready
            }
        }
        return true
    }

    /// Runs the client in the background, for applications without ServiceLifecycle, and waits
    /// up to ``Options/startTimeout`` for the server's document (it serves what it has otherwise).
    /// Call ``BackgroundRun/stop()`` once when done.
    public func start() async -> BackgroundRun {
        let group = ServiceGroup(configuration: .init(services: [self], gracefulShutdownSignals: [], logger: logger))
        let run = BackgroundRun(group: group, task: Task { try? await group.run() })
        _ = await waitUntilReady(timeout: options.startTimeout)
        return run
    }

    /// A client running in the background (``start()``).
    public struct BackgroundRun: Sendable {
        let group: ServiceGroup
        let task: Task<Void, Never>

        /// Stops syncing, flushes the queued events (within ``Options/shutdownTimeout``) and closes
        /// the connections; returns when that is done.
        public func stop() async {
            await group.triggerGracefulShutdown()
            await task.value
        }
    }
}
