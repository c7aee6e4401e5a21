import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardStore

/// The flag page and what its forms do.
extension Dashboard {
    func flagPage(
        _ request: Request, _ session: DashboardSessions.Session, key: String, definition: String? = nil, problems: [DocumentProblem] = [],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let environment = Self.environment(request)
        let state = try await environmentState(environment)
        let flag = try flag(key, in: state)
        let view = FlagPageView(
            flag: flag, environment: environment, csrf: session.csrfToken,
            guardrails: try await backend.guardrails(of: key, in: environment, withReport: true),
            propagation: try await backend.propagation(of: key, in: environment),
            audit: try await backend.audit(in: environment, flag: key, limit: 50), definition: definition, problems: problems)
        return await render(
            request, session, title: key, template: "flag", view, current: "/ui/flags", status: status,
            switchAction: "/ui/flags/\(Self.pathSegment(key))")
    }

    /// Where a form about a flag goes back to.
    static func flagURL(_ key: String, _ environment: String, notice: String? = nil) -> String {
        "/ui/flags/\(pathSegment(key))?env=\(query(environment))" + (notice.map { "&notice=\($0)" } ?? "")
    }

    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? text
    }

    func kill(_ request: Request, _ session: DashboardSessions.Session, _ form: ActionForm, key: String) async throws -> Response {
        let environment = Self.environment(request)
        let reason = form.reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !reason.isEmpty else { throw DashboardError.refused("A kill needs a reason: say why, for whoever looks next.") }
        guard form.confirm == "yes" else {
            throw DashboardError.refused("Tick the confirmation to kill \(key): a kill changes what everyone is served.")
        }
        try await backend.apply(.kill(key: key), in: environment, by: session.key.author, reason: reason)
        return Self.redirect(to: Self.flagURL(key, environment, notice: "killed"))
    }

    func unkill(_ request: Request, _ session: DashboardSessions.Session, _ form: ActionForm, key: String) async throws -> Response {
        let environment = Self.environment(request)
        let reason = form.reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        try await backend.apply(.unkill(key: key), in: environment, by: session.key.author, reason: reason?.isEmpty == false ? reason : nil)
        return Self.redirect(to: Self.flagURL(key, environment, notice: "unkilled"))
    }

    /// Saves the JSON editor's definition; a definition with problems is shown again with them,
    /// and nothing is stored.
    func edit(_ request: Request, _ session: DashboardSessions.Session, _ form: ActionForm, key: String) async throws -> Response {
        let environment = Self.environment(request)
        let text = form.definition ?? ""
        func refuse(_ problems: [DocumentProblem]) async throws -> Response {
            try await flagPage(request, session, key: key, definition: text, problems: problems, status: .unprocessableContent)
        }
        let definition: JSONValue
        do {
            definition = try JSONValue(parsing: text)
        } catch {
            return try await refuse([DocumentProblem(path: "line \(error.line), column \(error.column)", message: error.message)])
        }
        guard case .object(var members) = definition else { return try await refuse([DocumentProblem(path: "", message: "must be a JSON object")]) }
        if let named = members["key"], named != .string(key) {
            return try await refuse([DocumentProblem(path: "key", message: "does not match the flag's key \(key)")])
        }
        members["key"] = nil
        guard let version = form.version.flatMap({ Int64($0) }) else {
            return try await refuse([DocumentProblem(path: "", message: "the form has no version; reload the page")])
        }
        do {
            try await backend.apply(
                .updateFlag(key: key, definition: .object(members), expectedVersion: version), in: environment, by: session.key.author,
                reason: form.reason)
        } catch let error as DashboardError where !error.isNotFound {
            return try await refuse(error.problems.isEmpty ? [DocumentProblem(path: "", message: error.description)] : error.problems)
        }
        return Self.redirect(to: Self.flagURL(key, environment, notice: "saved"))
    }

    func rollout(_ request: Request, _ session: DashboardSessions.Session, key: String, command: String) async throws -> Response {
        guard let command = DashboardRolloutCommand(rawValue: command) else { throw DashboardError.notFound("No rollout command \(command).") }
        let environment = Self.environment(request)
        try await backend.rollout(command, flag: key, in: environment, by: session.key.author)
        let notice =
            switch command {
            case .pause: "paused"
            case .resume: "resumed"
            case .abort: "aborted"
            }
        return Self.redirect(to: Self.flagURL(key, environment, notice: notice))
    }
}
