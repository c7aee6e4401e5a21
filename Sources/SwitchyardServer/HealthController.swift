import Hummingbird
import SwitchyardStore

/// `/healthz` (the process is up), `/readyz` (the store answers, a shared store's notifications are
/// connected, and every environment is loaded) and `/metrics` (Prometheus text).
struct HealthController {
    let store: any FlagStore
    let snapshots: SnapshotRegistry
    let metrics: ServerMetrics
    let notifications: (any ChangeNotifications)?

    func addRoutes(to router: Router<SwitchyardRequestContext>) {
        router.get("healthz") { _, _ in Response.json(["status": "ok"]) }
        router.get("readyz") { _, _ in
            if let notifications, !notifications.isConnected {
                return Response.json(["status": "store unavailable"], status: .serviceUnavailable)
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
