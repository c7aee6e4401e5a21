import Hummingbird
import SwitchyardCore
import SwitchyardStore

/// Segments: shared rules (`$evaluators`) with versions, written with `If-Match` like flags.
extension AdminController {
    @Sendable func listSegments(_ request: Request, context: SwitchyardRequestContext) async throws -> SegmentList {
        let state = try await state(request)
        return SegmentList(
            environment: state.name, version: state.version, segments: state.segments.values.sorted { $0.name < $1.name }.map(SegmentView.init))
    }

    @Sendable func getSegment(_ request: Request, context: SwitchyardRequestContext) async throws -> EditedResponse<SegmentView> {
        let name = try request.pathParameter("name", context: context)
        guard let segment = try await state(request).segments[name] else { throw StoreError.notFound("segment \(name)") }
        return EditedResponse(headers: [.eTag: segment.etag], response: SegmentView(segment))
    }

    /// Without `If-Match` a new segment is created (201, `ETag: "1"`); an existing one is only
    /// replaced with the version it is based on in `If-Match` (428 without, 409 when stale).
    @Sendable func putSegment(_ request: Request, context: SwitchyardRequestContext) async throws -> EditedResponse<WriteAnswer> {
        let name = try request.pathParameter("name", context: context)
        let rule = try await request.json(context: context)
        if let version = try Self.ifMatch(request) {
            return try await write(.updateSegment(name: name, rule: rule, expectedVersion: version), showing: .segment(name), request, context)
        }
        do {
            return try await write(.createSegment(name: name, rule: rule), showing: .segment(name), request, context, status: .created)
        } catch let error as StoreError where error.kind == .alreadyExists {
            throw APIError(
                .preconditionRequired, code: "version_required", "segment \(name) exists: replacing it needs the version it is based on",
                problems: [DocumentProblem(path: "If-Match", message: "required, the segment's version such as \"3\" (its ETag)")])
        }
    }

    @Sendable func deleteSegment(_ request: Request, context: SwitchyardRequestContext) async throws -> EditedResponse<WriteAnswer> {
        let name = try request.pathParameter("name", context: context)
        return try await write(.deleteSegment(name: name, expectedVersion: try Self.ifMatch(request)), showing: nil, request, context)
    }
}
