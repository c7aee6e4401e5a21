import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardStore

/// The admin API under `/api/v1`: flags, segments, environments, import/export, audit, keys, propagation.
struct AdminController {
    let store: any FlagStore
    let feed: ChangeFeed
    let hub: StreamHub
    let tracker: PropagationTracker
    let keys: KeyCache
    let metrics: ServerMetrics

    func addRoutes(to group: RouterGroup<SwitchyardRequestContext>) {
        group.get("flags", use: listFlags)
        group.post("flags", use: createFlag)
        group.get("flags/stale", use: staleFlags)
        group.get("flags/{key}", use: getFlag)
        group.put("flags/{key}", use: updateFlag)
        group.delete("flags/{key}", use: deleteFlag)
        group.post("flags/{key}/enable") { request, context in try await setEnabled(request, context, true) }
        group.post("flags/{key}/disable") { request, context in try await setEnabled(request, context, false) }
        group.post("flags/{key}/kill", use: kill)
        group.post("flags/{key}/unkill", use: unkill)
        group.get("flags/{key}/propagation", use: propagation)
        group.get("segments", use: listSegments)
        group.put("segments/{name}", use: putSegment)
        group.delete("segments/{name}", use: deleteSegment)
        group.get("environments", use: listEnvironments)
        group.post("environments", use: createEnvironment)
        group.post("import", use: importDocument)
        group.get("export", use: exportDocument)
        group.get("audit", use: audit)
        group.get("keys", use: listKeys)
        group.post("keys", use: createKey)
        group.delete("keys/{id}", use: revokeKey)
    }

    // MARK: Flags

    @Sendable func listFlags(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let state = try await state(request)
        return .json(["environment": .string(state.name), "version": .integer(state.version), "flags": .array(state.flags.values.sorted { $0.key < $1.key }.map(\.json))])
    }

    @Sendable func getFlag(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let key = try request.pathParameter("key", context: context)
        guard let flag = try await state(request).flags[key] else { throw APIError(StoreError.notFound("flag \(key)")) }
        return .json(flag.json, headers: [.eTag: flag.etag])
    }

    @Sendable func createFlag(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        guard case .object(var definition) = try await request.json(context: context) else {
            throw APIError.badRequest("a flag must be a JSON object", path: "body")
        }
        guard let key = definition["key"]?.stringValue else { throw APIError.badRequest("required, the flag key", path: "body.key") }
        definition["key"] = nil
        return try await write(.createFlag(key: key, definition: .object(definition)), key: key, request, context, status: .created)
    }

    @Sendable func updateFlag(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let key = try request.pathParameter("key", context: context)
        guard case .object(var definition) = try await request.json(context: context) else {
            throw APIError.badRequest("a flag must be a JSON object", path: "body")
        }
        if let bodyKey = definition["key"], bodyKey != .string(key) {
            throw APIError.badRequest("does not match the key in the path", path: "body.key")
        }
        definition["key"] = nil
        let mutation = Mutation.updateFlag(key: key, definition: .object(definition), expectedVersion: try Self.ifMatch(request))
        return try await write(mutation, key: key, request, context)
    }

    @Sendable func deleteFlag(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let key = try request.pathParameter("key", context: context)
        let force = request.uri.queryParameters["force"] == "true"
        return try await write(.deleteFlag(key: key, force: force, expectedVersion: try Self.ifMatch(request)), key: key, request, context)
    }

    func setEnabled(_ request: Request, _ context: SwitchyardRequestContext, _ enabled: Bool) async throws -> Response {
        let key = try request.pathParameter("key", context: context)
        return try await write(.setEnabled(key: key, enabled: enabled), key: key, request, context)
    }

    @Sendable func kill(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let key = try request.pathParameter("key", context: context)
        let body = try await request.json(context: context, allowEmpty: true).requestObject(allowed: ["reason"])
        let reason = body["reason"]?.stringValue ?? request.uri.queryParameters["reason"].map(String.init)
        let response = try await write(.kill(key: key), key: key, request, context, reason: reason)
        metrics.kills.increment()
        return response
    }

    @Sendable func unkill(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let key = try request.pathParameter("key", context: context)
        let body = try await request.json(context: context, allowEmpty: true).requestObject(allowed: ["reason"])
        let reason = body["reason"]?.stringValue ?? request.uri.queryParameters["reason"].map(String.init)
        return try await write(.unkill(key: key), key: key, request, context, reason: reason)
    }

    @Sendable func staleFlags(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let days = try Self.intParameter(request, "days", default: 30)
        let stale = try await state(request).staleFlags(unchangedForDays: days, now: Date())
        return .json(["days": .integer(Int64(days)), "flags": .array(stale.map(\.json))])
    }

    @Sendable func propagation(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let key = try request.pathParameter("key", context: context)
        let environment = Self.environment(request)
        guard let change = try await store.latestChange(of: key, in: environment) else {
            throw APIError(StoreError.notFound("a change of flag \(key)"))
        }
        let clients = Set(hub.connectedClients(of: environment)).sorted()
        var latencies: [(client: String, milliseconds: Double)] = []
        var behind: [String] = []
        for client in clients {
            if let at = tracker.appliedAt(environment: environment, client: client, version: change.version) {
                latencies.append((client, max(0, at.timeIntervalSince(change.at) * 1000)))
            } else {
                behind.append(client)
            }
        }
        latencies.sort { $0.milliseconds < $1.milliseconds }
        func percentile(_ p: Double) -> JSONValue {
            guard !latencies.isEmpty else { return .null }
            let index = min(latencies.count - 1, Int((p * Double(latencies.count)).rounded(.up)) - 1)
            return .double(latencies[max(0, index)].milliseconds)
        }
        var body: [String: JSONValue] = [
            "flag": .string(key), "environment": .string(environment), "version": .integer(change.version),
            "changedAt": change.at.json, "connectedClients": .integer(Int64(clients.count)),
            "applied": .integer(Int64(latencies.count)), "behind": .integer(Int64(behind.count)),
            "behindClients": .array(behind.map(JSONValue.string)),
            "p50Ms": percentile(0.5), "p99Ms": percentile(0.99), "slowestMs": percentile(1),
        ]
        if let slowest = latencies.last { body["slowestClient"] = .string(slowest.client) }
        return .json(.object(body))
    }

    // MARK: Segments, environments, import and export

    @Sendable func listSegments(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        .json(["segments": .object(try await state(request).segments)])
    }

    @Sendable func putSegment(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let name = try request.pathParameter("name", context: context)
        let rule = try await request.json(context: context)
        return try await write(.putSegment(name: name, rule: rule), key: nil, request, context)
    }

    @Sendable func deleteSegment(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let name = try request.pathParameter("name", context: context)
        return try await write(.deleteSegment(name: name), key: nil, request, context)
    }

    @Sendable func listEnvironments(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let environments = try await store.environments()
        return .json(["environments": .array(environments.map { ["name": .string($0.name), "createdAt": $0.createdAt.json] })])
    }

    @Sendable func createEnvironment(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let body = try await request.json(context: context).requestObject(allowed: ["name"])
        let name = try JSONValue.requireString(body, "name")
        do {
            let environment = try await store.createEnvironment(named: name, by: try author(context))
            try await feed.load(environment.name)
            return .json(["name": .string(environment.name), "createdAt": environment.createdAt.json], status: .created)
        } catch let error as StoreError {
            throw APIError(error)
        }
    }

    @Sendable func importDocument(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let document = try await request.json(context: context)
        return try await write(.replaceDocument(document, strictness: .authoring), key: nil, request, context)
    }

    @Sendable func exportDocument(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let state = try await state(request)
        return .json(state.writtenDocument, headers: [.contentDisposition: "attachment; filename=\"\(state.name).flagd.json\""])
    }

    @Sendable func audit(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let limit = try Self.intParameter(request, "limit", default: 100)
        let flag = request.uri.queryParameters["flag"].map(String.init)
        let entries = try await store.auditEntries(in: Self.environment(request), flag: flag, limit: min(max(limit, 1), 10_000))
        return .json(["entries": .array(entries.map(\.json))])
    }

    // MARK: Keys

    @Sendable func listKeys(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        .json(["keys": .array(try await store.apiKeys().map(\.json))])
    }

    @Sendable func createKey(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let body = try await request.json(context: context).requestObject(allowed: ["kind", "environment", "name"])
        let kindName = try JSONValue.requireString(body, "kind")
        guard let kind = APIKey.Kind(rawValue: kindName) else { throw APIError.badRequest("must be \"admin\" or \"sdk\"", path: "body.kind") }
        let environment = body["environment"]?.stringValue
        if kind == .admin, environment != nil {
            throw APIError.badRequest("admin keys are not bound to an environment", path: "body.environment")
        }
        let name = body["name"]?.stringValue ?? "\(kind.rawValue) key"
        do {
            let issued = try await store.createAPIKey(APIKeyRequest(kind: kind, environment: environment, name: name), by: try author(context))
            guard case .object(var members) = issued.key.json else { return .json(issued.key.json) }
            members["key"] = .string(issued.secret)
            return .json(.object(members), status: .created)
        } catch let error as StoreError {
            throw APIError(error)
        }
    }

    @Sendable func revokeKey(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let id = try request.pathParameter("id", context: context)
        do {
            let key = try await store.revokeAPIKey(id: id, by: try author(context))
            keys.removeAll()
            return .json(key.json)
        } catch let error as StoreError {
            throw APIError(error)
        }
    }

    // MARK: Helpers

    /// The one write path: store (flag + audit + change feed), then snapshot and streams, then the answer.
    private func write(
        _ mutation: Mutation, key: String?, _ request: Request, _ context: SwitchyardRequestContext,
        status: HTTPResponse.Status = .ok, reason: String? = nil
    ) async throws -> Response {
        let environment = Self.environment(request)
        let reason = reason ?? request.uri.queryParameters["reason"].map(String.init)
        let change: ChangeRecord
        do {
            change = try await store.apply(mutation, to: environment, by: try author(context), reason: reason)
        } catch let error as StoreError {
            throw APIError(error)
        }
        try await feed.catchUp(environment)
        var body: [String: JSONValue] = ["environment": .string(environment), "version": .integer(change.version)]
        var headers: HTTPFields = [:]
        if let key, let flag = try await store.state(of: environment).flags[key] {
            body["flag"] = flag.json
            headers[.eTag] = flag.etag
        }
        return .json(.object(body), status: status, headers: headers)
    }

    private func state(_ request: Request) async throws -> EnvironmentState {
        do {
            return try await store.state(of: Self.environment(request))
        } catch let error as StoreError {
            throw APIError(error)
        }
    }

    private func author(_ context: SwitchyardRequestContext) throws -> Author {
        guard let key = context.apiKey else { throw APIError.missingKey }
        return key.author
    }

    static func environment(_ request: Request) -> String {
        request.uri.queryParameters["env"].map(String.init) ?? Environment.production
    }

    /// The version in `If-Match` (`"3"`, `W/"3"` or `3`), if sent.
    static func ifMatch(_ request: Request) throws -> Int64? {
        guard let value = request.headers[.ifMatch] else { return nil }
        var text = Substring(value).trimmingSpaces
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
        guard let version = Int64(text) else { throw APIError.badRequest("If-Match must be a flag version such as \"3\"", path: "If-Match") }
        return version
    }

    static func intParameter(_ request: Request, _ name: String, default value: Int) throws -> Int {
        guard let text = request.uri.queryParameters[Substring(name)] else { return value }
        guard let number = Int(text), number >= 0 else { throw APIError.badRequest("must be a whole number", path: name) }
        return number
    }
}
