import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardStore

/// `GET /api/v1/flags/{key}/propagation`: how far a flag's latest change has reached the connected
/// clients, from their receipts.
extension AdminController {
    @Sendable func propagation(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let key = try request.pathParameter("key", context: context)
        let environment = Self.environment(request)
        if let change = try await store.latestChange(of: key, in: environment) {
            var body = reach(of: change.version, changedAt: change.at, in: environment)
            body.merge(["flag": .string(key), "environment": .string(environment), "retained": true]) { $1 }
            return .json(.object(body))
        }
        // Pruned from the change feed: the audit log, never pruned, still has the change's version and time.
        guard let audited = try await store.latestAuditedChange(of: key, in: environment), let version = audited.version else {
            throw try await noChange(of: key, request)
        }
        let prunedThrough = try await store.changesPrunedThrough(in: environment)
        var body = reach(of: version, changedAt: nil, in: environment)
        body.merge([
            "flag": .string(key), "environment": .string(environment), "retained": false, "action": .string(audited.action),
            "changedAt": audited.at.json, "prunedThrough": .integer(prunedThrough),
            "note": .string(
                "version \(version) (\(audited.action)) is older than the retained change feed (pruned through \(prunedThrough)): "
                    + "which clients reported it or a later version is known, how fast they applied it is not"),
        ]) { $1 }
        return .json(.object(body))
    }

    /// The connected clients of an environment against one change: who reported `version` or a later
    /// one, who did not, and, given when the change was made, how long they took.
    private func reach(of version: Int64, changedAt: Date?, in environment: String) -> [String: JSONValue] {
        let clients = Set(hub.connectedClients(of: environment)).sorted()
        var latencies: [(client: String, milliseconds: Double)] = []
        var applied = 0
        var behind: [String] = []
        for client in clients {
            guard let at = tracker.appliedAt(environment: environment, client: client, version: version) else {
                behind.append(client)
                continue
            }
            applied += 1
            if let changedAt { latencies.append((client, max(0, at.timeIntervalSince(changedAt) * 1000))) }
        }
        latencies.sort { $0.milliseconds < $1.milliseconds }
        func percentile(_ p: Double) -> JSONValue {
            guard !latencies.isEmpty else { return .null }
            let index = min(latencies.count - 1, Int((p * Double(latencies.count)).rounded(.up)) - 1)
            return .double(latencies[max(0, index)].milliseconds)
        }
        var body: [String: JSONValue] = [
            "version": .integer(version), "connectedClients": .integer(Int64(clients.count)), "applied": .integer(Int64(applied)),
            "behind": .integer(Int64(behind.count)), "behindClients": .array(behind.map(JSONValue.string)),
            "p50Ms": percentile(0.5), "p99Ms": percentile(0.99), "slowestMs": percentile(1),
        ]
        if let changedAt { body["changedAt"] = changedAt.json }
        if let slowest = latencies.last { body["slowestClient"] = .string(slowest.client) }
        return body
    }

    /// Why a flag has no change to report: it does not exist, or it never had a change of its own.
    private func noChange(of key: String, _ request: Request) async throws -> APIError {
        do {
            _ = try await state(request).flag(key)
        } catch let error as StoreError {
            return APIError(error)
        }
        return APIError(
            .notFound, code: "not_found",
            "flag \(key) has had no change of its own: it came with an imported document, and propagation follows single-flag changes")
    }
}
