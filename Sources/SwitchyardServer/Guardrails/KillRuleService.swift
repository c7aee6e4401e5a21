import ServiceLifecycle

/// Evaluates every kill rule at an interval, reading the time from the guardrail clock.
struct KillRuleService: Service {
    let watch: KillRuleWatch
    let clock: GuardrailClock
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await watch.evaluate(now: clock.now)
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
            }
        }
    }
}
