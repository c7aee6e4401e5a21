import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardStore

extension AdminController {
    @Sendable func listFlags(_ request: Request, context: SwitchyardRequestContext) async throws -> FlagList {
        let state = try await state(request)
        return FlagList(environment: state.name, version: state.version, flags: state.flags.values.sorted { $0.key < $1.key }.map(FlagView.init))
    }

    @Sendable func getFlag(_ request: Request, context: SwitchyardRequestContext) async throws -> EditedResponse<FlagView> {
        let key = try request.pathParameter("key", context: context)
        let flag = try await store.existingFlag(key, in: Self.environment(request))
        return EditedResponse(headers: [.eTag: flag.etag], response: FlagView(flag))
    }

    @Sendable func createFlag(_ request: Request, context: SwitchyardRequestContext) async throws -> EditedResponse<WriteAnswer> {
        guard case .object(var definition) = try await request.json(context: context) else {
            throw APIError.badRequest("a flag must be a JSON object", path: "body")
        }
        guard let key = definition["key"]?.stringValue else { throw APIError.badRequest("required, the flag key", path: "body.key") }
        definition["key"] = nil
        return try await write(.createFlag(key: key, definition: .object(definition)), showing: .flag(key), request, context, status: .created)
    }

    @Sendable func updateFlag(_ request: Request, context: SwitchyardRequestContext) async throws -> EditedResponse<WriteAnswer> {
        let key = try request.pathParameter("key", context: context)
        guard case .object(var definition) = try await request.json(context: context) else {
            throw APIError.badRequest("a flag must be a JSON object", path: "body")
        }
        if let bodyKey = definition["key"], bodyKey != .string(key) {
            throw APIError.badRequest("does not match the key in the path", path: "body.key")
        }
        definition["key"] = nil
        guard let version = try Self.ifMatch(request) else {
            throw APIError(
                .preconditionRequired, code: "version_required", "an update needs the version it is based on",
                problems: [DocumentProblem(path: "If-Match", message: "required, the flag's version such as \"3\" (its ETag)")])
        }
        let mutation = Mutation.updateFlag(key: key, definition: .object(definition), expectedVersion: version)
        return try await write(mutation, showing: .flag(key), request, context)
    }

    @Sendable func deleteFlag(_ request: Request, context: SwitchyardRequestContext) async throws -> EditedResponse<WriteAnswer> {
        let key = try request.pathParameter("key", context: context)
        let force = request.uri.queryParameters["force"] == "true"
        return try await write(.deleteFlag(key: key, force: force, expectedVersion: try Self.ifMatch(request)), showing: .flag(key), request, context)
    }

    func setEnabled(_ request: Request, _ context: SwitchyardRequestContext, _ enabled: Bool) async throws -> EditedResponse<WriteAnswer> {
        let key = try request.pathParameter("key", context: context)
        return try await write(.setEnabled(key: key, enabled: enabled), showing: .flag(key), request, context)
    }

    @Sendable func kill(_ request: Request, context: SwitchyardRequestContext) async throws -> EditedResponse<WriteAnswer> {
        let key = try request.pathParameter("key", context: context)
        let reason = try await request.decode(as: KillRequest.self, context: context).reason ?? request.uri.queryParameters["reason"].map(String.init)
        return try await write(.kill(key: key), showing: .flag(key), request, context, reason: reason)
    }

    @Sendable func unkill(_ request: Request, context: SwitchyardRequestContext) async throws -> EditedResponse<WriteAnswer> {
        let key = try request.pathParameter("key", context: context)
        let reason = try await request.decode(as: KillRequest.self, context: context).reason ?? request.uri.queryParameters["reason"].map(String.init)
        return try await write(.unkill(key: key), showing: .flag(key), request, context, reason: reason)
    }

    @Sendable func staleFlags(_ request: Request, context: SwitchyardRequestContext) async throws -> StaleFlagList {
        let days = try Self.intParameter(request, "days", default: 30)
        let stale = try await state(request).staleFlags(unchangedForDays: days, now: clock.date)
        return StaleFlagList(days: days, flags: stale.map(FlagView.init))
    }
}

/// `POST /api/v1/flags/{key}/kill` and `…/unkill`: an optional body with the reason (which
/// `?reason=` may give instead).
struct KillRequest: Decodable, EmptyBodyAllowed {
    let reason: String?
}
