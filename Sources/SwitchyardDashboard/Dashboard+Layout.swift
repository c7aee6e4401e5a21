import Hummingbird
import SwitchyardStore

/// The frame of every page: navigation, environment switcher, sign-out, live-update hook.
struct LayoutView {
    struct NavItem {
        let label: String
        let href: String
        let current: Bool
    }

    struct EnvironmentOption {
        let name: String
        let selected: Bool
    }

    let title: String
    let body: String
    let environment: String
    let signedIn: String?
    let nav: [NavItem]
    let environments: [EnvironmentOption]
    let csrf: String
    let switchAction: String
    /// The change stream the page listens to, `nil` for pages without live parts.
    let live: String?
    /// The URL the script fetches again on a change.
    let page: String
    let notice: String?
}

extension Dashboard {
    /// The sections of the navigation, by path.
    static let sections: [(label: String, path: String)] = [
        ("Flags", "/ui/flags"), ("Segments", "/ui/segments"), ("Environments", "/ui/environments"), ("SDK keys", "/ui/keys"),
        ("Stale flags", "/ui/stale"), ("Audit log", "/ui/audit"),
    ]

    func layout(
        _ request: Request, _ session: DashboardSessions.Session?, title: String, body: String, current: String?, live: Bool,
        switchAction: String? = nil
    ) async -> LayoutView {
        let environment = Self.environment(request)
        let names = ((try? await backend.environments()) ?? []).map(\.name)
        let env = Self.query(environment)
        // The version the page shows: the stream starts after it, so a change made while the page
        // loads is not missed.
        let version = live ? ((try? await backend.state(of: environment))?.version ?? 0) : 0
        return LayoutView(
            title: title, body: body, environment: environment, signedIn: session.map { "\($0.key.name) (\($0.key.id))" },
            nav: Self.sections.map { .init(label: $0.label, href: "\($0.path)?env=\(env)", current: $0.path == current) },
            environments: names.map { .init(name: $0, selected: $0 == environment) }, csrf: session?.csrfToken ?? "",
            switchAction: switchAction ?? current ?? "/ui/flags", live: live ? "/ui/live?env=\(env)&since=\(version)" : nil,
            page: request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""),
            notice: request.uri.queryParameters["notice"].map(String.init).flatMap(Self.notices.first(where:)).map(\.text))
    }

    /// A whole page.
    func render(
        _ request: Request, _ session: DashboardSessions.Session, title: String, template: String, _ view: Any, current: String?,
        live: Bool = true, status: HTTPResponse.Status = .ok, switchAction: String? = nil
    ) async -> Response {
        let body = templates.render(template, view)
        let frame = await layout(request, session, title: title, body: body, current: current, live: live, switchAction: switchAction)
        return Self.html(templates.render("layout", frame), status: status)
    }

    /// The notices a redirect after a form may ask for with `?notice=`: fixed texts, so a link
    /// cannot put words in the page.
    static let notices: [(code: String, text: String)] = [
        ("killed", "Killed. Every client now gets the safe variant."), ("unkilled", "Unkilled. The flag serves its targeting again."),
        ("saved", "Saved."), ("paused", "Rollout paused."), ("resumed", "Rollout resumed."), ("aborted", "Rollout aborted."),
        ("revoked", "Key revoked."), ("created", "Environment added."),
    ]
}

extension Array where Element == (code: String, text: String) {
    fileprivate func first(where code: String) -> Element? { first { $0.code == code } }
}
