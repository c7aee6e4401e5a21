import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardGuard
import SwitchyardStore

/// The web dashboard: server-rendered pages under `/ui`, signed in with an admin key kept in a
/// server-side session, with a live-update stream. `SwitchyardServer` adds its routes next to the
/// API and implements ``DashboardBackend``.
package struct Dashboard: Sendable {
    let backend: any DashboardBackend
    let configuration: DashboardConfiguration
    let sessions: DashboardSessions
    /// The wall clock: session expiry and the stale-flags report.
    let clock: WallClock
    let templates = DashboardTemplates()

    /// The name of the session cookie.
    package static let cookieName = "switchyard_session"

    /// A dashboard over a backend, reading the time from `clock` (the server's own).
    package init(
        backend: any DashboardBackend, configuration: DashboardConfiguration = DashboardConfiguration(),
        clock: WallClock = .system
    ) {
        self.backend = backend
        self.configuration = configuration
        self.clock = clock
        self.sessions = DashboardSessions(configuration: configuration, clock: clock)
    }

    /// How many sessions are kept (bounded by ``DashboardConfiguration/maximumSessions``).
    package var sessionCount: Int { sessions.count }

    /// Adds `/` (a redirect to the flags) and every page under `/ui`.
    package func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/") { _, _ in Self.redirect(to: "/ui/flags") }
        router.get("ui") { _, _ in Self.redirect(to: "/ui/flags") }
        router.get("ui/assets/app.css") { _, _ in Self.asset(DashboardAssets.css, type: "text/css; charset=utf-8") }
        router.get("ui/assets/live.js") { _, _ in Self.asset(DashboardAssets.js, type: "text/javascript; charset=utf-8") }
        router.get("ui/sign-in") { request, _ in signInPage(request) }
        router.post("ui/sign-in") { request, context in try await signIn(request, context: context) }
        router.post("ui/sign-out") { request, context in try await action(request, context) { session, _ in signOut(request, session) } }
        router.get("ui/flags") { request, _ in try await page(request) { try await flagsPage(request, $0) } }
        router.get("ui/flags/{key}") { request, context in
            try await page(request) { try await flagPage(request, $0, key: try context.parameters.require("key")) }
        }
        router.post("ui/flags/{key}/kill") { request, context in
            let key = try context.parameters.require("key")
            return try await action(request, context) { session, form in try await kill(request, session, form, key: key) }
        }
        router.post("ui/flags/{key}/unkill") { request, context in
            let key = try context.parameters.require("key")
            return try await action(request, context) { session, form in try await unkill(request, session, form, key: key) }
        }
        router.post("ui/flags/{key}/edit") { request, context in
            let key = try context.parameters.require("key")
            return try await action(request, context) { session, form in try await edit(request, session, form, key: key) }
        }
        router.post("ui/flags/{key}/rollout/{command}") { request, context in
            let key = try context.parameters.require("key")
            let command = try context.parameters.require("command")
            return try await action(request, context) { session, _ in try await rollout(request, session, key: key, command: command) }
        }
        router.get("ui/segments") { request, _ in try await page(request) { try await segmentsPage(request, $0) } }
        router.get("ui/environments") { request, _ in try await page(request) { try await environmentsPage(request, $0) } }
        router.post("ui/environments") { request, context in
            try await action(request, context) { session, form in try await createEnvironment(request, session, form) }
        }
        router.get("ui/keys") { request, _ in try await page(request) { try await keysPage(request, $0) } }
        router.post("ui/keys") { request, context in
            try await action(request, context) { session, form in try await createKey(request, session, form) }
        }
        router.post("ui/keys/{id}/revoke") { request, context in
            let id = try context.parameters.require("id")
            return try await action(request, context) { session, _ in try await revokeKey(request, session, id: id) }
        }
        router.get("ui/stale") { request, _ in try await page(request) { try await stalePage(request, $0) } }
        router.get("ui/audit") { request, _ in try await page(request) { try await auditPage(request, $0) } }
        router.get("ui/live") { request, context in try await live(request, context: context) }
    }
}
