import Hummingbird

/// flagd's answer to an oversized OFREP body: 413 `{"errorDetails": "request body too large"}`.
struct OFREPTooLarge: HTTPResponseError {
    var status: HTTPResponse.Status { .contentTooLarge }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response.json(["errorDetails": "request body too large"], status: status)
    }
}
