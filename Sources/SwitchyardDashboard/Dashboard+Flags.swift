import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardStore

/// The flags list: every flag of an environment at a glance, searchable and filtered.
struct FlagsPageView {
    struct Filter {
        let value: String
        let label: String
        let selected: Bool
    }

    let environment: String
    let query: String
    let filters: [Filter]
    let rows: [FlagRowView]
    let shown: Int
    let total: Int
}

extension Dashboard {
    static let filters: [(value: String, label: String)] = [
        ("", "All flags"), ("killed", "Killed"), ("rollout", "In rollout"), ("rules", "With kill rules"),
        ("close", "Rules close to tripping"), ("stale", "Stale (30 days)"),
    ]

    func flagsPage(_ request: Request, _ session: DashboardSessions.Session) async throws -> Response {
        let environment = Self.environment(request)
        let state = try await environmentState(environment)
        let query = request.uri.queryParameters["q"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        let filter = request.uri.queryParameters["filter"].map(String.init) ?? ""
        let stale = Set(state.staleFlags(unchangedForDays: 30, now: clock.date).map(\.key))
        var rows: [FlagRowView] = []
        for flag in state.flags.values.sorted(by: { $0.key < $1.key }) {
            if !query.isEmpty {
                let variants = flag.definition["variants"]?.objectValue?.keys.joined(separator: " ") ?? ""
                guard flag.key.localizedCaseInsensitiveContains(query) || variants.localizedCaseInsensitiveContains(query) else { continue }
            }
            let guardrails = try await backend.guardrails(of: flag.key, in: environment, withReport: false)
            let row = FlagRowView(flag, guardrails: guardrails)
            switch filter {
            case "killed": guard row.killed != nil else { continue }
            case "rollout": guard row.rollout?.isActive == true else { continue }
            case "rules": guard row.rules != nil else { continue }
            case "close": guard row.rules?.close == true || row.rules?.tripped == true else { continue }
            case "stale": guard stale.contains(flag.key) else { continue }
            default: break
            }
            rows.append(row)
        }
        let view = FlagsPageView(
            environment: environment, query: query,
            filters: Self.filters.map { .init(value: $0.value, label: $0.label, selected: $0.value == filter) }, rows: rows,
            shown: rows.count, total: state.flags.count)
        return await render(request, session, title: "Flags", template: "flags", view, current: "/ui/flags")
    }

    /// An environment's state; an unknown one is a 404 naming the ones there are.
    func environmentState(_ environment: String) async throws -> EnvironmentState {
        let names = try await backend.environments().map(\.name)
        guard names.contains(environment) else {
            throw DashboardError.notFound("There is no environment \(environment). There are: \(names.joined(separator: ", ")).")
        }
        return try await backend.state(of: environment)
    }

    func flag(_ key: String, in state: EnvironmentState) throws -> StoredFlag {
        guard let flag = state.flags[key] else { throw DashboardError.notFound("There is no flag \(key) in \(state.name).") }
        return flag
    }
}
