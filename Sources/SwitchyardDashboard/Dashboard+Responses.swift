import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Dashboard {
    /// An HTML page. Pages carry their own security headers: no framing, no sniffing, scripts and
    /// styles from this origin only.
    static func html(_ text: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"
        headers[.xContentTypeOptions] = "nosniff"
        headers[Self.referrerPolicy] = "same-origin"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    /// 303 See Other: after a form, the browser fetches the page with GET.
    static func redirect(to location: String, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The environment asked for with `?env=`, production by default.
    static func environment(_ request: Request) -> String {
        request.uri.queryParameters["env"].map(String.init).flatMap { $0.isEmpty ? nil : $0 } ?? "production"
    }

    /// Percent-encodes a query value.
    static func query(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? value
    }

    /// A message page (errors, refusals).
    func messagePage(
        _ request: Request, _ session: DashboardSessions.Session?, heading: String, text: String, status: HTTPResponse.Status,
        back: String = "/ui/flags"
    ) async -> Response {
        let body = templates.render("message", MessageView(heading: heading, text: text, isError: status.code >= 400, back: back))
        let layout = await layout(request, session, title: heading, body: body, current: nil, live: false)
        return Self.html(templates.render("layout", layout), status: status)
    }
}

struct MessageView {
    let heading: String
    let text: String
    let isError: Bool
    let back: String
}
