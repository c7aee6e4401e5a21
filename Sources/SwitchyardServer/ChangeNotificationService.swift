import Logging
import ServiceLifecycle
import SwitchyardStore

/// Catches up with the changes other servers commit to a shared store: on each notice the
/// environment's change feed is read from this server's last version on (``ChangeFeed/catchUp(_:)``),
/// and after a reconnection every environment is, new ones included.
struct ChangeNotificationService: Service {
    let notifications: any ChangeNotifications
    let store: any FlagStore
    let feed: ChangeFeed
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await notice in notifications.notices() {
                switch notice {
                case .committed(let environment, _):
                    await catchUp([environment])
                case .resynchronize:
                    do {
                        await catchUp(try await store.environments().map(\.name))
                    } catch {
                        logger.warning("cannot list the environments to catch up with", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
    }

    private func catchUp(_ environments: [String]) async {
        for environment in environments {
            do {
                try await feed.catchUp(environment)
            } catch {
                // The next notice or reconnection catches up again.
                logger.warning("cannot catch up with a change", metadata: ["environment": .string(environment), "error": "\(error)"])
            }
        }
    }
}
