import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardStore

/// `GET /api/v1/flags/{key}/propagation`: how far a flag's latest change has reached the connected
/// clients, from their receipts.
extension AdminController {
    @Sendable func propagation(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let key = try request.pathParameter("key", context: context)
        guard let body = try await propagation(of: key, in: Self.environment(request)) else { throw try await noChange(of: key, request) }
        return .json(body)
    }

    /// The propagation body of a flag's latest change, `nil` when the flag never changed on its own.
    func propagation(of key: String, in environment: String) async throws -> JSONValue? {
        if let change = try await store.latestChange(of: key, in: environment) {
            var body = reach(of: change.version, changedAt: change.at, in: environment)
            body.merge(["flag": .string(key), "environment": .string(environment), "retained": true]) { $1 }
            return .object(body)
        }
        // Pruned from the change feed: the audit log, never pruned, still has the change's version and time.
        guard let audited = try await store.latestAuditedChange(of: key, in: environment), let version = audited.version else {
            return nil
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
        return .object(body)
    }

    /// The connected clients of an environment against one change: which streams it was written to
    /// (delivered), which clients reported serving it or a later version (applied), who has neither,
    /// and, given when the change was made, how long each took.
    private func reach(of version: Int64, changedAt: Date?, in environment: String) -> [String: JSONValue] {
        let clients = Set(hub.connectedClients(of: environment)).sorted()
        var delivered: [(client: String, milliseconds: Double?)] = []
        var applied: [(client: String, milliseconds: Double?)] = []
        var behind: [String] = []
        var withoutReceipts = 0
        func latency(_ at: Date) -> Double? { changedAt.map { max(0, at.timeIntervalSince($0) * 1000) } }
        for client in clients {
            if !tracker.postsReceipts(environment: environment, client: client) { withoutReceipts += 1 }
            let appliedAt = tracker.reachedAt(.applied, environment: environment, client: client, version: version)
            if let appliedAt { applied.append((client, latency(appliedAt))) }
            guard let deliveredAt = tracker.reachedAt(.delivered, environment: environment, client: client, version: version) ?? appliedAt else {
                behind.append(client)
                continue
            }
            delivered.append((client, latency(deliveredAt)))
        }
        var body: [String: JSONValue] = [
            "version": .integer(version), "connectedClients": .integer(Int64(clients.count)),
            "delivered": .integer(Int64(delivered.count)), "applied": .integer(Int64(applied.count)),
            "clientsWithoutReceipts": .integer(Int64(withoutReceipts)),
            "behind": .integer(Int64(behind.count)), "behindClients": .array(behind.map(JSONValue.string)),
        ]
        for (prefix, reached) in [("delivered", delivered), ("applied", applied)] {
            let latencies = reached.compactMap { entry in entry.milliseconds.map { (entry.client, $0) } }.sorted { $0.1 < $1.1 }
            func percentile(_ p: Double) -> JSONValue {
                guard !latencies.isEmpty else { return .null }
                let index = min(latencies.count - 1, Int((p * Double(latencies.count)).rounded(.up)) - 1)
                return .double(latencies[max(0, index)].1)
            }
            body[prefix + "P50Ms"] = percentile(0.5)
            body[prefix + "P99Ms"] = percentile(0.99)
            body[prefix + "SlowestMs"] = percentile(1)
            if let slowest = latencies.last { body[prefix + "SlowestClient"] = .string(slowest.0) }
        }
        if let changedAt { body["changedAt"] = changedAt.json }
        return body
    }

    /// Why a flag has no change to report: it does not exist, or it never had a change of its own.
    private func noChange(of key: String, _ request: Request) async throws -> APIError {
        do {
            _ = try await store.existingFlag(key, in: Self.environment(request))
        } catch let error as StoreError {
            return APIError(error)
        }
        return APIError(
            .notFound, code: "not_found",
            "flag \(key) has had no change of its own: it came with an imported document, and propagation follows single-flag changes")
    }
}
