import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardStore

struct SegmentView {
    let name: String
    let version: Int64
    let usedBy: [String]
    let lines: [String]
    let json: String
}

struct SegmentsPageView {
    let environment: String
    let segments: [SegmentView]
}

struct EnvironmentsPageView {
    struct Row {
        let name: String
        let flags: Int
        let killed: Int
        let created: String
    }

    let rows: [Row]
    let csrf: String
    let error: String?
}

struct KeysPageView {
    struct Row {
        let id: String
        let name: String
        let kind: String
        let environment: String
        let created: String
        let revoked: String?
    }

    struct Issued {
        let id: String
        let name: String
        let kind: String
        let secret: String
    }

    let rows: [Row]
    let csrf: String
    let issued: Issued?
    let error: String?
    let environments: [LayoutView.EnvironmentOption]
}

struct StalePageView {
    struct Row {
        let key: String
        let serves: String
        let updated: String
    }

    let environment: String
    let days: Int
    let rows: [Row]
}

struct AuditPageView {
    let environment: String
    let flagFilter: String
    let entries: [AuditEntryView]
}

/// Segments, environments, keys, stale flags and the audit log.
extension Dashboard {
    func segmentsPage(_ request: Request, _ session: DashboardSessions.Session) async throws -> Response {
        let environment = Self.environment(request)
        let state = try await environmentState(environment)
        let segments = state.segments.values.sorted { $0.name < $1.name }.map { segment in
            let users = state.flags.values.filter { TargetingText($0.definition["targeting"]).segments.contains(segment.name) }.map(\.key).sorted()
            let text = TargetingText(segment.rule)
            return SegmentView(name: segment.name, version: segment.version, usedBy: users, lines: text.lines, json: Formatting.pretty(segment.rule))
        }
        return await render(
            request, session, title: "Segments", template: "segments", SegmentsPageView(environment: environment, segments: segments),
            current: "/ui/segments")
    }

    func environmentsPage(
        _ request: Request, _ session: DashboardSessions.Session, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var rows: [EnvironmentsPageView.Row] = []
        for environment in try await backend.environments() {
            let state = try await backend.state(of: environment.name)
            rows.append(
                .init(
                    name: environment.name, flags: state.flags.count, killed: state.flags.values.filter { $0.kill != nil }.count,
                    created: Formatting.time(environment.createdAt)))
        }
        return await render(
            request, session, title: "Environments", template: "environments",
            EnvironmentsPageView(rows: rows, csrf: session.csrfToken, error: error),
            current: "/ui/environments", live: false, status: status)
    }

    func createEnvironment(_ request: Request, _ session: DashboardSessions.Session, _ form: ActionForm) async throws -> Response {
        let name = form.name?.trimmingCharacters(in: .whitespaces) ?? ""
        do {
            try await backend.createEnvironment(named: name, by: session.key.author)
        } catch let error as DashboardError {
            return try await environmentsPage(request, session, error: error.description, status: .unprocessableContent)
        }
        return Self.redirect(to: "/ui/environments?env=\(Self.query(name))&notice=created")
    }

    func keysPage(
        _ request: Request, _ session: DashboardSessions.Session, issued: IssuedAPIKey? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let keys = try await backend.apiKeys().sorted { ($0.revokedAt != nil ? 1 : 0, $0.createdAt) < ($1.revokedAt != nil ? 1 : 0, $1.createdAt) }
        let environment = Self.environment(request)
        let view = KeysPageView(
            rows: keys.map {
                .init(
                    id: $0.id, name: $0.name, kind: $0.kind.rawValue, environment: $0.environment ?? "all", created: Formatting.time($0.createdAt),
                    revoked: $0.revokedAt.map(Formatting.time))
            }, csrf: session.csrfToken,
            issued: issued.map { .init(id: $0.key.id, name: $0.key.name, kind: $0.key.kind.rawValue, secret: $0.secret) }, error: error,
            environments: try await backend.environments().map { .init(name: $0.name, selected: $0.name == environment) })
        var response = await render(request, session, title: "API keys", template: "keys", view, current: "/ui/keys", live: false, status: status)
        if issued != nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    /// Creates a key and shows its secret once, in this answer only (no redirect, nothing in a URL).
    func createKey(_ request: Request, _ session: DashboardSessions.Session, _ form: ActionForm) async throws -> Response {
        guard let kind = form.kind.flatMap(APIKey.Kind.init(rawValue:)) else {
            return try await keysPage(request, session, error: "Choose the kind of key: sdk or admin.", status: .unprocessableContent)
        }
        let name = form.name?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !name.isEmpty else { return try await keysPage(request, session, error: "Give the key a name.", status: .unprocessableContent) }
        let environment = kind == .sdk ? form.environment : nil
        do {
            let issued = try await backend.createKey(APIKeyRequest(kind: kind, environment: environment, name: name), by: session.key.author)
            return try await keysPage(request, session, issued: issued, status: .created)
        } catch let error as DashboardError {
            return try await keysPage(request, session, error: error.description, status: .unprocessableContent)
        }
    }

    func revokeKey(_ request: Request, _ session: DashboardSessions.Session, id: String) async throws -> Response {
        let key = try await backend.revokeKey(id: id, by: session.key.author)
        sessions.end(keyID: key.id)
        if key.id == session.key.id { return Self.redirect(to: "/ui/sign-in") }
        return Self.redirect(to: "/ui/keys?notice=revoked")
    }

    func stalePage(_ request: Request, _ session: DashboardSessions.Session) async throws -> Response {
        let environment = Self.environment(request)
        let days = request.uri.queryParameters["days"].flatMap { Int($0) }.map { max(0, $0) } ?? 30
        let state = try await environmentState(environment)
        let rows = state.staleFlags(unchangedForDays: days, now: clock.date).map { flag in
            let serves =
                flag.kill != nil
                ? "killed: \(KillSwitch.safeVariant(of: flag.definition) ?? "code default")"
                : flag.definition["state"] == "DISABLED" ? "disabled" : flag.definition["defaultVariant"]?.stringValue ?? "code default"
            return StalePageView.Row(key: flag.key, serves: serves, updated: Formatting.time(flag.updatedAt))
        }
        return await render(
            request, session, title: "Stale flags", template: "stale", StalePageView(environment: environment, days: days, rows: rows),
            current: "/ui/stale")
    }

    func auditPage(_ request: Request, _ session: DashboardSessions.Session) async throws -> Response {
        let environment = Self.environment(request)
        _ = try await environmentState(environment)
        let flag = request.uri.queryParameters["flag"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let entries = try await backend.audit(in: environment, flag: flag, limit: 200)
        return await render(
            request, session, title: "Audit log", template: "audit",
            AuditPageView(environment: environment, flagFilter: flag ?? "", entries: entries.map(AuditEntryView.init)), current: "/ui/audit")
    }
}
