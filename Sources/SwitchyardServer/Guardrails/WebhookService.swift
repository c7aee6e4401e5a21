import AsyncHTTPClient
import Logging
import NIOCore
import ServiceLifecycle
import SwitchyardCore
import SwitchyardGuard

/// Delivers each queued alert as a JSON `POST` to every configured webhook, retrying with
/// exponential back-off; a webhook that keeps failing is logged and skipped.
struct WebhookService: Service {
    let queue: AlertQueue
    let webhooks: [String]
    let attempts: Int
    let backoff: Duration
    let timeout: Duration
    let logger: Logger

    /// Delivers alerts until a graceful shutdown, which also ends deliveries still retrying.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await alert in queue.alerts {
                await withTaskGroup(of: Void.self) { group in
                    for url in webhooks {
                        group.addTask { await deliver(alert, to: url) }
                    }
                }
            }
        }
    }

    private func deliver(_ alert: JSONValue, to url: String) async {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "switchyard-guardrails")
        request.body = .bytes(ByteBuffer(string: alert.serialized()))
        var wait = backoff
        for attempt in 1...max(1, attempts) {
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(timeout.milliseconds))
                _ = try await response.body.collect(upTo: 1 << 16)
                if (200..<300).contains(response.status.code) {
                    logger.info("webhook delivered", metadata: ["url": .string(url), "attempt": "\(attempt)"])
                    return
                }
                logger.warning(
                    "webhook refused the alert", metadata: ["url": .string(url), "status": "\(response.status.code)", "attempt": "\(attempt)"])
            } catch {
                logger.warning("webhook failed", metadata: ["url": .string(url), "error": "\(error)", "attempt": "\(attempt)"])
            }
            guard attempt < attempts else { break }
            do {
                try await Task.sleep(for: wait)
            } catch {
                return
            }
            wait *= 2
        }
        logger.error("webhook gave up", metadata: ["url": .string(url), "attempts": "\(attempts)"])
    }
}
