import HTTPTypes
import Hummingbird
import SwitchyardCore
import SwitchyardStore

/// OpenFeature Remote Evaluation Protocol: `/ofrep/v1/evaluate/flags[/{key}]` and its change stream.
struct OFREPController {
    let snapshots: SnapshotRegistry
    let metrics: ServerMetrics
    let streams: StreamController
    /// Present when evaluations are limited per SDK key.
    let limiter: OFREPRateLimiter?
    let budgetLog: BudgetExceededLog

    func addRoutes(to group: RouterGroup<SwitchyardRequestContext>) {
        group.post("evaluate/flags/{key}", use: evaluate)
        group.post("evaluate/flags", use: evaluateAll)
        group.get("stream") { request, context in
            try streams.stream(request, context: context, format: .ofrep)
        }
        for path: RouterPath in ["evaluate/flags/{key}", "evaluate/flags"] {
            for method: HTTPRequest.Method in [.get, .put, .patch, .delete] {
                group.on(path, method: method) { _, _ in
                    Response.json(["errorDetails": "only POST evaluates"], status: .methodNotAllowed, headers: [.allow: "POST"])
                }
            }
        }
    }

    @Sendable func evaluate(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        let rawKey = try context.parameters.require("key")
        if let refusal = admit(context) {
            return Self.tooManyRequests(key: rawKey.percentDecoded() ?? rawKey, refusal)
        }
        guard let key = rawKey.percentDecoded() else {
            return Response.json(
                ["key": .string(rawKey), "errorCode": "GENERAL", "errorDetails": "the flag key is not valid percent-encoded UTF-8", "metadata": [:]],
                status: .badRequest)
        }
        guard let evaluationContext = try await Self.context(of: request, context: context) else {
            return Response.json(
                ["key": .string(key), "errorCode": "INVALID_CONTEXT", "errorDetails": "Provider context is not valid", "metadata": [:]],
                status: .badRequest)
        }
        let selector: FlagSetSelector?
        do {
            selector = try Self.selector(of: request)
        } catch {
            return Response.json(
                ["key": .string(key), "errorCode": "GENERAL", "errorDetails": .string("invalid selector: \(error)"), "metadata": [:]],
                status: .badRequest)
        }
        let snapshot = try self.snapshot(context)
        let resolution = snapshot.document.resolve(key, context: evaluationContext, selector: selector)
        metrics.evaluated(flag: key, resolution)
        budgetLog.note(resolution, flag: key, environment: snapshot.environment)
        let (status, body) = Self.result(key: key, resolution)
        return Response.json(body, status: status)
    }

    @Sendable func evaluateAll(_ request: Request, context: SwitchyardRequestContext) async throws -> Response {
        if let refusal = admit(context) { return Self.tooManyRequests(refusal) }
        guard let evaluationContext = try await Self.context(of: request, context: context) else {
            return Response.json(["errorCode": "INVALID_CONTEXT", "errorDetails": "Provider context is not valid"], status: .badRequest)
        }
        let selector: FlagSetSelector?
        do {
            selector = try Self.selector(of: request)
        } catch {
            return Response.json(["errorCode": "GENERAL", "errorDetails": .string("invalid selector: \(error)")], status: .badRequest)
        }
        let snapshot = try self.snapshot(context)
        let etag = Self.bulkETag(snapshot: snapshot, context: evaluationContext, selector: selector)
        var headers: HTTPFields = [.eTag: etag, .accessControlExposeHeaders: "ETag"]
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingSpaces == etag }) {
            return Response(status: .notModified, headers: headers)
        }
        var flags: [JSONValue] = []
        for key in snapshot.document.keys(selectedBy: selector) {
            let resolution = snapshot.document.resolve(key, context: evaluationContext, selector: selector)
            metrics.evaluated(flag: key, resolution)
            budgetLog.note(resolution, flag: key, environment: snapshot.environment)
            flags.append(Self.result(key: key, resolution).body)
        }
        let body: JSONValue = [
            "flags": .array(flags),
            "metadata": .object(snapshot.document.metadata.merging(selector?.metadata ?? [:]) { _, reflected in reflected }),
            "eventStreams": [["type": "sse", "endpoint": ["requestUri": "/ofrep/v1/stream"], "inactivityDelaySec": 120]],
        ]
        headers[.cacheControl] = "no-cache"
        return Response.json(body, headers: headers)
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
        let bytes: [UInt8]
        do {
            bytes = try await request.bodyBytes(context: context)
        } catch let error as APIError where error.status == .contentTooLarge {
            throw OFREPFailure.tooLarge
        }
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return EvaluationContext() }
        // Contexts are read as flagd reads them (a repeated member: the last wins); they are never stored.
        guard let json = try? JSONValue(parsing: bytes, allowingDuplicateMembers: true), case .object(let body) = json else { return nil }
        switch body["context"] {
        case nil, .null?: return EvaluationContext()
        case .object(let attributes)?: return EvaluationContext(attributes: attributes)
        default: return nil
        }
    }

    /// The status and body of one flag's result (spec §5.3).
    static func result(key: String, _ resolution: Resolution) -> (status: HTTPResponse.Status, body: JSONValue) {
        var body: [String: JSONValue] = ["key": .string(key), "metadata": .object(resolution.metadata)]
        guard let code = resolution.errorCode else {
            body["reason"] = .string(resolution.reason.rawValue)
            if let value = resolution.value { body["value"] = value }
            if let variant = resolution.variant { body["variant"] = .string(variant) }
            return (.ok, .object(body))
        }
        switch code {
        case .flagNotFound:
            body["errorCode"] = "FLAG_NOT_FOUND"
            body["errorDetails"] = .string("flag `\(key)` does not exist")
            return (.notFound, .object(body))
        case .parseError, .targetingKeyMissing, .invalidContext:
            body["errorCode"] = .string(code.rawValue)
            body["errorDetails"] = .string(resolution.errorMessage ?? "error parsing the flag `\(key)`")
            return (.badRequest, .object(body))
        case .general, .typeMismatch:
            body["errorCode"] = "GENERAL"
            body["errorDetails"] = .string(resolution.errorMessage ?? "error processing the flag for evaluation")
            return (.badRequest, .object(body))
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
