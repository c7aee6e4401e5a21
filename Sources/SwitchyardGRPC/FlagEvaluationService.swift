import GRPCCore
import SwiftProtobuf
import SwitchyardCore

/// `flagd.evaluation.v1.Service`: remote evaluation for flagd's RPC providers, with the same
/// answers as OFREP and flagd's error mapping (`NOT_FOUND`, `INVALID_ARGUMENT` for a type
/// mismatch, `DATA_LOSS` for a parse error, `UNKNOWN` otherwise), and `EventStream` telling them
/// when the configuration changed.
struct FlagEvaluationService: Flagd_Evaluation_V1_Service.ServiceProtocol {
    let backend: any FlagdBackend
    let bindings: [FlagdSelectorBinding]

    func resolveBoolean(
        request: ServerRequest<Flagd_Evaluation_V1_ResolveBooleanRequest>, context: ServerContext
    ) async throws -> ServerResponse<Flagd_Evaluation_V1_ResolveBooleanResponse> {
        try await resolveTyped(request)
    }

    func resolveString(
        request: ServerRequest<Flagd_Evaluation_V1_ResolveStringRequest>, context: ServerContext
    ) async throws -> ServerResponse<Flagd_Evaluation_V1_ResolveStringResponse> {
        try await resolveTyped(request)
    }

    func resolveFloat(
        request: ServerRequest<Flagd_Evaluation_V1_ResolveFloatRequest>, context: ServerContext
    ) async throws -> ServerResponse<Flagd_Evaluation_V1_ResolveFloatResponse> {
        try await resolveTyped(request)
    }

    func resolveInt(
        request: ServerRequest<Flagd_Evaluation_V1_ResolveIntRequest>, context: ServerContext
    ) async throws -> ServerResponse<Flagd_Evaluation_V1_ResolveIntResponse> {
        try await resolveTyped(request)
    }

    func resolveObject(
        request: ServerRequest<Flagd_Evaluation_V1_ResolveObjectRequest>, context: ServerContext
    ) async throws -> ServerResponse<Flagd_Evaluation_V1_ResolveObjectResponse> {
        try await resolveTyped(request)
    }

    /// Every flag of the selected set that resolves without an error; flags without a value
    /// (disabled, or no default variant) come without one.
    func resolveAll(
        request: ServerRequest<Flagd_Evaluation_V1_ResolveAllRequest>, context: ServerContext
    ) async throws -> ServerResponse<Flagd_Evaluation_V1_ResolveAllResponse> {
        let caller = try await FlagdCaller.authenticate(request.metadata, selectorField: "", backend: backend, bindings: bindings)
        let snapshot = try caller.snapshot(backend)
        let evaluationContext = EvaluationContext(attributes: try JSONValue.members(of: request.message.context))
        var response = Flagd_Evaluation_V1_ResolveAllResponse()
        for key in snapshot.document.keys(selectedBy: caller.selector) {
            let resolution = snapshot.document.resolve(key, context: evaluationContext, selector: caller.selector) { backend.timestamp() }
            backend.evaluated(flag: key, resolution, environment: caller.environment)
            guard resolution.errorCode == nil else { continue }
            var flag = Flagd_Evaluation_V1_AnyFlag()
            (flag.reason, flag.variant, flag.metadata) = resolution.fields
            switch resolution.value {
            case .bool(let value)?: flag.value = .boolValue(value)
            case .string(let value)?: flag.value = .stringValue(value)
            case .integer(let value)?: flag.value = .doubleValue(Double(value))
            case .double(let value)?: flag.value = .doubleValue(value)
            case .object(let members)?: flag.value = .objectValue(JSONValue.protobufStruct(members))
            case .null?, .array?, nil: break
            }
            response.flags[key] = flag
        }
        response.metadata = JSONValue.protobufStruct(
            snapshot.document.metadata.merging(caller.selector?.metadata ?? [:]) { _, reflected in reflected })
        return ServerResponse(message: response)
    }

    /// One flag, typed as `Response` holds it; an error result becomes the gRPC status flagd answers with.
    private func resolveTyped<Request: FlagdResolveRequest, Response: FlagdResolveResponse>(
        _ request: ServerRequest<Request>
    ) async throws -> ServerResponse<Response> {
        let key = request.message.flagKey
        let caller = try await FlagdCaller.authenticate(request.metadata, selectorField: "", backend: backend, bindings: bindings)
        let snapshot = try caller.snapshot(backend)
        let evaluationContext = EvaluationContext(attributes: try JSONValue.members(of: request.message.context))
        let resolution = snapshot.document.resolve(key, context: evaluationContext, selector: caller.selector) { backend.timestamp() }
            .typed(key, as: Response.valueType, default: Response.valueType.zeroValue)
        backend.evaluated(flag: key, resolution, environment: caller.environment)
        if let code = resolution.errorCode { throw RPCError(code: code.statusCode, message: resolution.errorMessage ?? code.rawValue) }
        var response = Response()
        response.value = Response.value(of: resolution.value)
        (response.reason, response.variant, response.metadata) = resolution.fields
        return ServerResponse(message: response)
    }
}

extension Resolution {
    /// `reason`, `variant` and `metadata` as flagd's responses carry them.
    fileprivate var fields: (String, String, Google_Protobuf_Struct) {
        (reason.rawValue, variant ?? "", JSONValue.protobufStruct(metadata))
    }
}

extension FlagValueType {
    /// What flagd's typed responses hold when there is no value: protobuf's zero value.
    fileprivate var zeroValue: JSONValue {
        switch self {
        case .boolean: .bool(false)
        case .string: .string("")
        case .integer: .integer(0)
        case .float: .double(0)
        case .object: .object([:])
        }
    }
}

extension EvaluationErrorCode {
    /// The status flagd's evaluation service answers an error with (its `errFormat`).
    fileprivate var statusCode: RPCError.Code {
        switch self {
        case .flagNotFound: .notFound
        case .typeMismatch: .invalidArgument
        case .parseError: .dataLoss
        case .general, .targetingKeyMissing, .invalidContext: .unknown
        }
    }
}
