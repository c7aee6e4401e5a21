import Hummingbird
import SwitchyardStore

/// The one place a store refusal becomes an HTTP answer: its kind picks the status, and the body is
/// the API's error body (``APIError``), so a handler or middleware just lets a ``StoreError`` through.
extension StoreError: HTTPResponseError {
    package var status: HTTPResponse.Status { APIError(self).status }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        try APIError(self).response(from: request, context: context)
    }
}
