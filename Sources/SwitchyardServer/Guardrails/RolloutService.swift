import ServiceLifecycle
import SwitchyardGuard

/// Steps every running rollout at an interval, reading the time from the server's clock.
struct RolloutService: Service {
    let supervisor: RolloutSupervisor
    let clock: WallClock
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await supervisor.step(now: clock.now)
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
            }
        }
    }
}
