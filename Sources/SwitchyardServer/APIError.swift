import Hummingbird
import SwitchyardCore
import SwitchyardStore

/// An admin-API refusal, sent as `{"error": {"code", "message", "problems": [{"path", "message"}]}}`.
public struct APIError: HTTPResponseError {
    public let status: HTTPResponse.Status
    let code: String
    let message: String
    let problems: [DocumentProblem]
    /// Seconds sent as `Retry-After`, for a refusal that passes.
    let retryAfter: Int?

    init(_ status: HTTPResponse.Status, code: String, _ message: String, problems: [DocumentProblem] = [], retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.problems = problems
        self.retryAfter = retryAfter
    }

    static func badRequest(_ message: String, path: String = "") -> APIError {
        APIError(.badRequest, code: "invalid_request", message, problems: [DocumentProblem(path: path, message: message)])
    }

    static let missingKey = APIError(.unauthorized, code: "unauthorized", "an API key is required (Authorization: Bearer or X-API-Key)")
    static let invalidKey = APIError(.unauthorized, code: "unauthorized", "the API key is not valid")

    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, code: "forbidden", message) }

    /// The response a store refusal maps to.
    init(_ error: StoreError) {
        switch error.kind {
        case .notFound: self.init(.notFound, code: "not_found", error.description)
        case .alreadyExists: self.init(.conflict, code: "already_exists", error.description)
        case .versionConflict: self.init(.conflict, code: "version_conflict", error.description)
        case .conflict: self.init(.conflict, code: "conflict", error.description)
        case .invalid: self.init(.badRequest, code: "invalid", error.description, problems: error.problems)
        case .unavailable: self.init(.serviceUnavailable, code: "unavailable", error.description, retryAfter: 2)
        }
    }

    var json: JSONValue {
        var body: [String: JSONValue] = ["code": .string(code), "message": .string(message)]
        if !problems.isEmpty {
            body["problems"] = .array(problems.map { .object(["path": .string($0.path), "message": .string($0.message)]) })
        }
        return .object(["error": .object(body)])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = Response.json(json, status: status)
        if let retryAfter { response.headers[.retryAfter] = "\(retryAfter)" }
        return response
    }
}
