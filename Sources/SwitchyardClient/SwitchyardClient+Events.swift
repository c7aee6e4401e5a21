import Foundation
import Logging
import SwitchyardGuard

extension SwitchyardClient {
    /// Flushes on every request (the interval ticker, a full batch) until ``run()`` finishes the
    /// requests at shutdown, then flushes what is left (``run()`` bounds it by
    /// ``Options/shutdownTimeout``).
    func runEventPump() async {
        for await _ in flushRequests {
            await flush(final: false)
        }
        await flush(final: true)
    }

    /// Measures queued events and posts them in batches of at most ``Options/flushSize``; on
    /// shutdown, until the queue is empty or the shutdown timeout cancels the flush.
    private func flush(final: Bool) async {
        exposures.expire(now: options.clock.now)
        while true {
            let (pending, dropped) = events.take(options.flushSize)
            if dropped > 0 {
                logger.warning("dropped the oldest events: the event queue was full", metadata: ["dropped": "\(dropped)"])
            }
            guard !pending.isEmpty else { return }
            guard !Task.isCancelled else { return dropAtShutdown(pending.count) }
            let delivered = await send(EventBatch(batchId: UUID().uuidString.lowercased(), events: pending.map(\.event)))
            guard delivered || !Task.isCancelled else { return dropAtShutdown(pending.count) }
            guard final || events.count >= options.flushSize else { return }
        }
    }

    /// Gives up on `inFlight` events and everything still queued, when the shutdown timeout ends the flush.
    private func dropAtShutdown(_ inFlight: Int) {
        let lost = inFlight + events.take(.max).events.count
        logger.error("dropped the events still queued at shutdown: the server did not take them in time", metadata: ["events": "\(lost)"])
    }

    /// Posts one batch, retrying with jittered backoff; the batch id lets the server count a
    /// batch delivered twice once.
    private func send(_ batch: EventBatch) async -> Bool {
        var backoff = Backoff(options.reconnectDelay)
        for attempt in 1...max(1, options.maximumSendAttempts) {
            do {
                try await connection.send(batch)
                return true
            } catch {
                let retryable = (error as? SwitchyardClientError)?.isRetryable ?? true
                guard retryable, attempt < options.maximumSendAttempts, !Task.isCancelled else {
                    if !Task.isCancelled {
                        logger.error(
                            "dropped an event batch that could not be delivered",
                            metadata: ["events": "\(batch.events.count)", "attempts": "\(attempt)", "error": "\(error)"])
                    }
                    return false
                }
                logger.debug("retrying an event batch", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                do {
                    try await Task.sleep(for: backoff.next())
                } catch {
                    return false
                }
            }
        }
        return false
    }
}
