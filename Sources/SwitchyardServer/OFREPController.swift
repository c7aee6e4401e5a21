import HTTPTypes
import Hummingbird
import SwitchyardCore
import SwitchyardGuard
import SwitchyardStore

/// OpenFeature Remote Evaluation Protocol: `/ofrep/v1/evaluate/flags[/{key}]` and its change stream.
struct OFREPController {
    let snapshots: SnapshotRegistry
    let metrics: ServerMetrics
    let streams: StreamController
    /// Present when evaluations are limited per SDK key.
    let limiter: OFREPRateLimiter?
    let budgetLog: BudgetExceededLog
    /// The server's clock, read for `$flagd.timestamp`.
    let clock: WallClock

    func addRoutes(to group: RouterGroup<SwitchyardRequestContext>) {
        group.post("evaluate/flags/{key}", use: evaluate)
        group.post("evaluate/flags", use: evaluateAll)
        group.get("stream") { request, context in
            try streams.stream(request, context: context, format: .ofrep)
        }
        for path: RouterPath in ["evaluate/flags/{key}", "evaluate/flags"] {
            for method: HTTPRequest.Method in [.get, .put, .patch, .delete] {
                group.on(path, method: method) { _, _ in
                    EditedResponse(
                        status: .methodNotAllowed, headers: [.allow: "POST"], response: RequestFailure(errorDetails: "only POST evaluates"))
                }
            }
        }
    }

    @Sendable func evaluate(_ request: Request, context: SwitchyardRequestContext) async throws -> EditedResponse<Evaluation> {
        let rawKey = try context.parameters.require("key")
        if let refusal = admit(context) {
            return Self.tooManyRequests(key: rawKey.percentDecoded() ?? rawKey, refusal)
        }
        guard let key = rawKey.percentDecoded() else {
            return EditedResponse(
                status: .badRequest, response: .failure(key: rawKey, code: "GENERAL", "the flag key is not valid percent-encoded UTF-8"))
        }
        guard let evaluationContext = try await Self.context(of: request, context: context) else {
            return EditedResponse(status: .badRequest, response: .failure(key: key, code: "INVALID_CONTEXT", "Provider context is not valid"))
        }
        let selector: FlagSetSelector?
        do {
            selector = try Self.selector(of: request)
        } catch {
            return EditedResponse(status: .badRequest, response: .failure(key: key, code: "GENERAL", "invalid selector: \(error)"))
        }
        let snapshot = try self.snapshot(context)
        let resolution = snapshot.document.resolve(key, context: evaluationContext, selector: selector) { clock.now.secondsSinceEpoch }
        metrics.evaluated(flag: key, resolution)
        budgetLog.note(resolution, flag: key, environment: snapshot.environment)
        let (status, evaluation) = Self.result(key: key, resolution)
        return EditedResponse(status: status, response: evaluation)
    }

    @Sendable func evaluateAll(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        if let refusal = admit(context) { return try Self.tooManyRequests(refusal).response(from: request, context: context) }
        guard let evaluationContext = try await Self.context(of: request, context: context) else {
            return try EditedResponse(
                status: .badRequest, response: RequestFailure(errorCode: "INVALID_CONTEXT", errorDetails: "Provider context is not valid")
            )
            .response(from: request, context: context)
        }
        let selector: FlagSetSelector?
        do {
            selector = try Self.selector(of: request)
        } catch {
            return try EditedResponse(status: .badRequest, response: RequestFailure(errorCode: "GENERAL", errorDetails: "invalid selector: \(error)"))
                .response(from: request, context: context)
        }
        let snapshot = try self.snapshot(context)
        let etag = Self.bulkETag(snapshot: snapshot, context: evaluationContext, selector: selector)
        var headers: HTTPFields = [.eTag: etag, .accessControlExposeHeaders: "ETag"]
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingSpaces == etag }) {
            return Response(status: .notModified, headers: headers)
        }
        var flags: [Evaluation] = []
        for key in snapshot.document.keys(selectedBy: selector) {
            let resolution = snapshot.document.resolve(key, context: evaluationContext, selector: selector) { clock.now.secondsSinceEpoch }
            metrics.evaluated(flag: key, resolution)
            budgetLog.note(resolution, flag: key, environment: snapshot.environment)
            flags.append(Self.result(key: key, resolution).evaluation)
        }
        let body = BulkEvaluation(
            flags: flags, metadata: snapshot.document.metadata.merging(selector?.metadata ?? [:]) { _, reflected in reflected },
            eventStreams: [.ofrep])
        headers[.cacheControl] = "no-cache"
        return try EditedResponse(headers: headers, response: body).response(from: request, context: context)
    }

    private func snapshot(_ context: SwitchyardRequestContext) throws -> EnvironmentSnapshot {
        guard let environment = context.apiKey?.environment, let snapshot = snapshots[environment] else {
            throw OFREPFailure(status: .internalServerError, details: "the environment of this key is not loaded")
        }
        return snapshot
    }

    /// The evaluation context of a request; `nil` when the body is not a JSON object or its
    /// `context` is not an object (an empty body, or no or a null `context`, gives an empty context).
    static func context(of request: Request, context: SwitchyardRequestContext) async throws -> EvaluationContext? {
        let body: JSONValue
        do {
            // Contexts are read as flagd reads them (a repeated member: the last wins); they are never stored.
            body = try await request.json(context: context, allowEmpty: true, allowingDuplicateMembers: true)
        } catch let error as APIError where error.status == .contentTooLarge {
            throw OFREPFailure.tooLarge
        } catch let error as APIError where error.status == .badRequest {
            return nil
        }
        // The request (spec §5.1) is read member by member rather than decoded: this runs on every evaluation.
        guard case .object(let members) = body else { return nil }
        switch members["context"] {
        case nil, .null?: return EvaluationContext()
        case .object(let attributes)?: return EvaluationContext(attributes: attributes)
        default: return nil
        }
    }

    /// The status and body of one flag's result (spec §5.3).
    static func result(key: String, _ resolution: Resolution) -> (status: HTTPResponse.Status, evaluation: Evaluation) {
        var evaluation = Evaluation(key: key, metadata: resolution.metadata)
        guard let code = resolution.errorCode else {
            evaluation.reason = resolution.reason.rawValue
            evaluation.value = resolution.value
            evaluation.variant = resolution.variant
            return (.ok, evaluation)
        }
        switch code {
        case .flagNotFound:
            evaluation.errorCode = "FLAG_NOT_FOUND"
            evaluation.errorDetails = "flag `\(key)` does not exist"
            return (.notFound, evaluation)
        case .parseError, .targetingKeyMissing, .invalidContext:
            evaluation.errorCode = code.rawValue
            evaluation.errorDetails = resolution.errorMessage ?? "error parsing the flag `\(key)`"
            return (.badRequest, evaluation)
        case .general, .typeMismatch:
            evaluation.errorCode = "GENERAL"
            evaluation.errorDetails = resolution.errorMessage ?? "error processing the flag for evaluation"
            return (.badRequest, evaluation)
        }
    }

    /// Changes with the environment version, the request context or the selected flag set.
    static func bulkETag(snapshot: EnvironmentSnapshot, context: EvaluationContext, selector: FlagSetSelector?) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        mix(JSONValue.object(context.attributes).serialized().utf8)
        if let selector {
            // A NUL never occurs in serialized JSON, so it separates the context from the selection.
            mix(CollectionOfOne(0))
            mix("flagSetId=\(selector.flagSetId)".utf8)
        }
        return "\"\(snapshot.version)-\(String(hash, radix: 16))\""
    }
}
