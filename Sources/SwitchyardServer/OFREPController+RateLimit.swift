import Hummingbird
import SwitchyardCore

extension OFREPController {
    /// Takes a token for the request's SDK key; `nil` when it may go ahead. A refusal is counted.
    func admit(_ context: SwitchyardRequestContext) -> OFREPRateLimiter.Refusal? {
        guard let limiter, let key = context.apiKey?.id, let refusal = limiter.admit(key) else { return nil }
        metrics.rateLimited(key: key)
        return refusal
    }

    /// The single-flag 429: `Retry-After` as a date, as the spec requires there, in RFC 9110's HTTP-date
    /// form (the form the Go and Python OFREP providers parse), and an `evaluationFailure` body.
    /// Hummingbird's CORS middleware exposes headers on preflights only, so each 429 exposes its own
    /// `Retry-After` to browser clients.
    static func tooManyRequests(key: String, _ refusal: OFREPRateLimiter.Refusal) -> EditedResponse<Evaluation> {
        EditedResponse(
            status: .tooManyRequests, headers: [.retryAfter: refusal.retryAfterDate.httpDate, .accessControlExposeHeaders: "Retry-After"],
            response: .failure(key: key, code: "GENERAL", details(refusal)))
    }

    /// The bulk 429: `Retry-After` in whole seconds, which the spec allows for bulk, and a
    /// `bulkEvaluationFailure` body.
    static func tooManyRequests(_ refusal: OFREPRateLimiter.Refusal) -> EditedResponse<RequestFailure> {
        EditedResponse(
            status: .tooManyRequests, headers: [.retryAfter: String(refusal.retryAfterSeconds), .accessControlExposeHeaders: "Retry-After"],
            response: RequestFailure(errorCode: "GENERAL", errorDetails: details(refusal)))
    }

    private static func details(_ refusal: OFREPRateLimiter.Refusal) -> String {
        "rate limit exceeded: this SDK key may make \(refusal.rate) OFREP evaluations per second; retry after \(refusal.retryAfterDate.httpDate)"
    }
}
