import Hummingbird
import SwitchyardStore

/// `/healthz` (the process is up), `/readyz` (the store answers and every environment is loaded)
/// and `/metrics` (Prometheus text).
///
/// For a store shared by several servers, "the store answers" is the notification connection's
/// state, which checks the database every second, rather than a query of its own: during an outage
/// a query can wait on the connection pool for as long as the database is away, and a readiness
/// probe must answer at once.
struct HealthController {
    let store: any FlagStore
    let snapshots: SnapshotRegistry
    let metrics: ServerMetrics
    let notifications: (any ChangeNotifications)?

    func addRoutes(to router: Router<SwitchyardRequestContext>) {
        router.get("healthz") { _, _ in Response.json(["status": "ok"]) }
        router.get("readyz") { _, _ in
            if let notifications {
                guard notifications.isConnected else { return Response.json(["status": "store unavailable"], status: .serviceUnavailable) }
                guard snapshots.hasAny else { return Response.json(["status": "loading"], status: .serviceUnavailable) }
                return Response.json(["status": "ready"])
            }
            do {
                let environments = try await store.environments().map(\.name)
                guard snapshots.hasSnapshots(for: environments) else {
                    return Response.json(["status": "loading"], status: .serviceUnavailable)
                }
                return Response.json(["status": "ready"])
            } catch {
                return Response.json(["status": "store unavailable"], status: .serviceUnavailable)
            }
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
    }
}
