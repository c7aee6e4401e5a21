import Hummingbird

/// A whole OFREP request failed: the status and `{"errorDetails": ...}` (spec §5.3 `generalErrorResponse`).
struct OFREPFailure: HTTPResponseError {
    let status: HTTPResponse.Status
    let details: String

    /// flagd's answer to an oversized body.
    static let tooLarge = OFREPFailure(status: .contentTooLarge, details: "request body too large")

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try EditedResponse(status: status, response: OFREPController.RequestFailure(errorDetails: details)).response(from: request, context: context)
    }
}
