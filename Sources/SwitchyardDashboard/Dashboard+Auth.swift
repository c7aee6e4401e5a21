import Foundation
import HTTPTypes
import Hummingbird
import SwitchyardStore

/// What the sign-in form sends.
struct SignInForm: Decodable {
    var key: String?
    var next: String?
}

/// The members every state-changing form sends: the CSRF token and the action's own fields.
struct ActionForm: Decodable {
    var csrf: String?
    var reason: String?
    var confirm: String?
    var definition: String?
    var version: String?
    var name: String?
    var kind: String?
    var environment: String?
}

extension Dashboard {
    func signInPage(_ request: Request, error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let next = Self.safeNext(request.uri.queryParameters["next"].map(String.init))
        let body = templates.render("signIn", SignInView(error: error, next: next))
        let layout = LayoutView(
            title: "Sign in", body: body, environment: "production", signedIn: nil, nav: [], environments: [], csrf: "",
            switchAction: "/ui/flags", live: nil, page: "", notice: nil)
        return Self.html(templates.render("layout", layout), status: status)
    }

    /// Checks the key and starts a session: only live admin keys sign in.
    func signIn(_ request: Request, context: some RequestContext) async throws -> Response {
        guard Self.isSameOrigin(request) else {
            return signInPage(request, error: "This sign-in did not come from this dashboard.", status: .forbidden)
        }
        let form: SignInForm = try await Self.form(request, context: context)
        let secret = (form.key ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !secret.isEmpty else { return signInPage(request, error: "Enter an admin key.", status: .unauthorized) }
        guard let key = try await backend.key(secret: secret) else {
            return signInPage(request, error: "This key is not valid: it is unknown or revoked.", status: .unauthorized)
        }
        guard key.kind == .admin else {
            return signInPage(
                request, error: "\(key.id) is an SDK key, which can only evaluate flags. Sign in with an admin key.", status: .forbidden)
        }
        let session = sessions.create(key: key, secret: secret)
        var headers = HTTPFields()
        headers[.setCookie] = sessionCookie(session.id, request: request).description
        return Self.redirect(to: Self.safeNext(form.next), headers: headers)
    }

    /// The session cookie: HttpOnly, SameSite=Strict, Secure over TLS.
    func sessionCookie(_ value: String, request: Request, expire: Bool = false) -> Cookie {
        Cookie(
            name: Self.cookieName, value: value, maxAge: expire ? 0 : nil, path: "/", secure: isSecure(request), httpOnly: true,
            sameSite: .strict)
    }

    /// Whether the request came over TLS, directly or as a proxy reports it.
    func isSecure(_ request: Request) -> Bool {
        configuration.secureCookies || request.uri.scheme == .https
            || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased().hasPrefix("https") == true
    }

    /// A local page to go to after signing in; anything else (another site, a scheme) goes to the flags.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/ui/"), !next.hasPrefix("//"), !next.contains("\\"), !next.hasPrefix("/ui/sign-") else {
            return "/ui/flags"
        }
        return next
    }

    /// The live session of the request, re-checking that its key is still live (revoking a key ends
    /// its sessions).
    func session(_ request: Request) async throws -> DashboardSessions.Session? {
        guard let id = request.cookies[Self.cookieName]?.value, !id.isEmpty, let session = sessions.session(id: id) else { return nil }
        guard let key = try await backend.key(secret: session.secret), key.kind == .admin else {
            sessions.end(keyID: session.key.id)
            return nil
        }
        return session
    }

    /// A page for signed-in people: others are sent to sign in and come back after.
    func page(_ request: Request, _ render: (DashboardSessions.Session) async throws -> Response) async throws -> Response {
        guard let session = try await session(request) else {
            let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return Self.redirect(to: "/ui/sign-in?next=" + Self.query(next))
        }
        do {
            return try await render(session)
        } catch let error as DashboardError {
            return await messagePage(
                request, session, heading: error.isNotFound ? "Not found" : "Refused", text: error.description,
                status: error.isNotFound ? .notFound : .conflict)
        }
    }

    /// A state-changing form: signed in, with the session's CSRF token (403 otherwise).
    func action(
        _ request: Request, _ context: some RequestContext,
        _ perform: (DashboardSessions.Session, ActionForm) async throws -> Response
    ) async throws -> Response {
        guard let session = try await session(request) else {
            return Self.redirect(to: "/ui/sign-in")
        }
        let form: ActionForm = try await Self.form(request, context: context)
        guard Self.isSameOrigin(request), let token = form.csrf, Self.constantTimeEqual(token, session.csrfToken) else {
            return await messagePage(
                request, session, heading: "Refused",
                text:
                    "This form is out of date or did not come from this dashboard (its CSRF token is missing or wrong). Reload the page and try again.",
                status: .forbidden)
        }
        do {
            return try await perform(session, form)
        } catch let error as DashboardError {
            return await messagePage(
                request, session, heading: error.isNotFound ? "Not found" : "Refused", text: error.description,
                status: error.isNotFound ? .notFound : .conflict, back: request.headers[.referer].map(Self.localPath) ?? "/ui/flags")
        }
    }

    /// Ends the session and clears its cookie.
    func signOut(_ request: Request, _ session: DashboardSessions.Session) -> Response {
        sessions.end(id: session.id)
        var headers = HTTPFields()
        headers[.setCookie] = sessionCookie("", request: request, expire: true).description
        return Self.redirect(to: "/ui/sign-in", headers: headers)
    }

    /// Whether a form was posted from this dashboard: browsers send `Origin` with every POST, and a
    /// page of another site names that site. (Also guards sign-in, which has no session token yet,
    /// against signing a browser in with someone else's key.) No `Origin` (a non-browser client) passes.
    static func isSameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin], origin != "null" else { return request.headers[.origin] == nil }
        // Behind a proxy that rewrites Host, the host the browser saw is in X-Forwarded-Host.
        let hosts = [request.head.authority, request.headers[HTTPField.Name("X-Forwarded-Host")!]].compactMap { $0 }
        guard let components = URLComponents(string: origin), let originHost = components.host else { return false }
        let port = components.port.map { ":\($0)" } ?? ""
        return hosts.contains(originHost + port)
    }

    /// The path of a same-site URL (for a back link).
    static func localPath(_ url: String) -> String {
        guard let components = URLComponents(string: url) else { return "/ui/flags" }
        return safeNext(components.path + (components.query.map { "?" + $0 } ?? ""))
    }

    /// Decodes an `application/x-www-form-urlencoded` body.
    static func form<Form: Decodable>(_ request: Request, context: some RequestContext) async throws -> Form {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let text = String(buffer: buffer)
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: text)
        } catch {
            throw HTTPError(.badRequest, message: "the form could not be read")
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}

struct SignInView {
    let error: String?
    let next: String
}
