import Logging
import ServiceLifecycle
import SwitchyardStore

/// Catches up with the changes other servers commit to a shared store: on each notice the
/// environment's change feed is read from this server's last version on (``ChangeFeed/catchUp(_:)``),
/// and after a reconnection every environment is, new ones included. Kill rules and rollouts another
/// server changed are read again (so the server running them follows at once), and a key revoked
/// through another server ends its streams here too.
struct ChangeNotificationService: Service {
    let notifications: any ChangeNotifications
    let store: any FlagStore
    let feed: ChangeFeed
    let guardrails: Guardrails?
    let keys: KeyCache
    let hub: StreamHub
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await notice in notifications.notices() {
                switch notice {
                case .committed(let environment, _):
                    await catchUp([environment])
                case .guardrailsChanged(let environment):
                    await reloadGuardrails([environment])
                case .keyRevoked(let id):
                    keys.removeAll()
                    hub.revoke(keyID: id)
                case .resynchronize:
                    do {
                        let environments = try await store.environments().map(\.name)
                        await catchUp(environments)
                        await reloadGuardrails(environments)
                        await endRevokedStreams()
                    } catch {
                        logger.warning("cannot list the environments to catch up with", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
    }

    private func reloadGuardrails(_ environments: [String]) async {
        guard let guardrails else { return }
        for environment in environments {
            do {
                try await guardrails.reload(environment)
            } catch {
                logger.warning("cannot read the kill rules and rollouts again", metadata: ["environment": .string(environment), "error": "\(error)"])
            }
        }
    }

    /// After a reconnection, revocations may have been missed: the streams of every revoked key end.
    private func endRevokedStreams() async {
        keys.removeAll()
        do {
            for key in try await store.apiKeys() where key.revokedAt != nil { hub.revoke(keyID: key.id) }
        } catch {
            logger.warning("cannot list the revoked keys", metadata: ["error": "\(error)"])
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
