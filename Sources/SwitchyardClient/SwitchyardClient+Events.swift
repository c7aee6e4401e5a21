import Foundation
import Logging
import SwitchyardGuard

extension SwitchyardClient {
    /// Flushes on every request (the interval ticker, a full batch)
    /// until ``shutdown()`` finishes the requests, then flushes what is left.
    func runEventPump() async {
        for await _ in flushRequests {
            await flush(final: false)
        }
        await flush(final: true)
    }

    /// Measures queued events and posts them in batches of at most
    /// ``Options/flushSize``; on shutdown, until the queue is empty.
    private func flush(final: Bool) async {
        while true {
            let (pending, dropped) = events.take(options.flushSize)
            if dropped > 0 {
                logger.warning("dropped the oldest events: the event queue was full", metadata: ["dropped": "\(dropped)"])
            }
            let batch = pending.map(\.event)
            guard !batch.isEmpty else { return }
            await send(EventBatch(batchId: UUID().uuidString.lowercased(), events: batch))
            guard final || events.count >= options.flushSize, !Task.isCancelled else { return }
        }
    }

    /// Posts one batch, retrying with jittered backoff; the batch id lets the server count a
    /// batch delivered twice once.
    private func send(_ batch: EventBatch) async {
        var backoff = Backoff(options.reconnectDelay)
        for attempt in 1...max(1, options.maximumSendAttempts) {
            do {
                try await connection.send(batch)
                return
            } catch {
                guard attempt < options.maximumSendAttempts, !Task.isCancelled else {
                    logger.error(
                        "dropped an event batch the server did not accept",
                        metadata: ["events": "\(batch.events.count)", "attempts": "\(attempt)", "error": "\(error)"])
                    return
                }
                logger.debug("retrying an event batch", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                do {
                    try await Task.sleep(for: backoff.next())
                } catch {
                    logger.error("dropped an event batch at shutdown", metadata: ["events": "\(batch.events.count)"])
                    return
                }
            }
        }
    }
}
