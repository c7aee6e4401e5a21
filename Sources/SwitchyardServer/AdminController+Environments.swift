import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardStore

/// Environments, import and export, and the audit log.
extension AdminController {
    @Sendable func listEnvironments(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let environments = try await store.environments()
        return .json(["environments": .array(environments.map { ["name": .string($0.name), "createdAt": $0.createdAt.json] })])
    }

    @Sendable func createEnvironment(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let body = try await request.json(context: context).requestObject(allowed: ["name"])
        let name = try JSONValue.requireString(body, "name")
        let environment = try await addEnvironment(named: name, by: try context.author)
        return .json(["name": .string(environment.name), "createdAt": environment.createdAt.json], status: .created)
    }

    /// Creates an environment and loads its snapshot.
    func addEnvironment(named name: String, by author: Author) async throws -> SwitchyardStore.Environment {
        let environment = try await store.createEnvironment(named: name, by: author)
        try await feed.load(environment.name)
        return environment
    }

    @Sendable func importDocument(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let document = try await request.json(context: context)
        return try await write(.replaceDocument(document, strictness: .authoring), showing: nil, request, context)
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
}
