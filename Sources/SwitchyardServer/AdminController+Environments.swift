import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardStore

/// Environments, import and export, and the audit log.
extension AdminController {
    @Sendable func listEnvironments(_ request: Request, context: SwitchyardRequestContext) async throws -> EnvironmentList {
        EnvironmentList(environments: try await store.environments().map(EnvironmentView.init))
    }

    @Sendable func createEnvironment(_ request: Request, context: SwitchyardRequestContext) async throws -> EditedResponse<EnvironmentView> {
        let body = try await request.decode(as: EnvironmentCreation.self, context: context)
        let environment = try await addEnvironment(named: body.name, by: try context.author)
        return EditedResponse(status: .created, response: EnvironmentView(environment))
    }

    /// Creates an environment and loads its snapshot.
    func addEnvironment(named name: String, by author: Author) async throws -> SwitchyardStore.Environment {
        let environment = try await store.createEnvironment(named: name, by: author)
        try await feed.load(environment.name)
        return environment
    }

    @Sendable func importDocument(_ request: Request, context: SwitchyardRequestContext) async throws -> EditedResponse<WriteAnswer> {
        let document = try await request.json(context: context)
        return try await write(.replaceDocument(document, strictness: .authoring), showing: nil, request, context)
    }

    @Sendable func exportDocument(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let state = try await state(request)
        return .json(state.writtenDocument, headers: [.contentDisposition: "attachment; filename=\"\(state.name).flagd.json\""])
    }

    @Sendable func audit(_ request: Request, context: SwitchyardRequestContext) async throws -> AuditLog {
        let limit = try Self.intParameter(request, "limit", default: 100)
        let flag = request.uri.queryParameters["flag"].map(String.init)
        let entries = try await store.auditEntries(in: Self.environment(request), flag: flag, limit: min(max(limit, 1), 10_000))
        return AuditLog(entries: entries.map(AuditEntryView.init))
    }
}
