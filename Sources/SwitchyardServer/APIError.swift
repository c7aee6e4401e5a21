import Hummingbird
import SwitchyardCore
import SwitchyardStore

/// An admin-API refusal, sent as `{"error": {"code", "message", "problems": [{"path", "message"}]}}`.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
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

    /// 400 for a typed body that does not decode, with the place below `root` (`body.events[2].flag`).
    init(_ error: DecodingError, in root: String) {
        let (codingPath, message): ([any CodingKey], String) =
            switch error {
            case .keyNotFound(let key, let context): (context.codingPath + [key], context.debugDescription)
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                (context.codingPath, context.debugDescription)
            @unknown default: ([], "\(error)")
            }
        let path = codingPath.reduce(root) { path, key in key.intValue.map { "\(path)[\($0)]" } ?? "\(path).\(key.stringValue)" }
        self = .badRequest(message, path: path)
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

    /// The body: `{"error": {"code", "message", "problems"}}`, without `problems` when there are none.
    struct Body: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
            let problems: [DocumentProblem]?
        }

        let error: Detail
    }

    var body: Body { Body(error: Body.Detail(code: code, message: message, problems: problems.isEmpty ? nil : problems)) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = Response.json(try JSONValueEncoder().encode(body), status: status)
        if let retryAfter { response.headers[.retryAfter] = "\(retryAfter)" }
        return response
    }
}
