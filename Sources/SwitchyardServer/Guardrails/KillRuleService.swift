import ServiceLifecycle
import SwitchyardGuard

/// Evaluates every kill rule at an interval, reading the time from the server's clock.
struct KillRuleService: Service {
    let watch: KillRuleWatch
    let clock: WallClock
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
