import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SwitchyardDashboard

/// A browser's view: a cookie jar of one session cookie.
struct Browser {
    var cookie: String?

    /// Signs in and keeps the cookie; returns the answer.
    @discardableResult
    mutating func signIn(_ client: some TestClientProtocol, key: String, next: String? = nil) async throws -> TestResponse {
        var form = "key=\(Self.encode(key))"
        if let next { form += "&next=\(Self.encode(next))" }
        let response = try await post(client, "/ui/sign-in", form: form)
        if let setCookie = response.headers[.setCookie], let value = Self.cookieValue(setCookie), !value.isEmpty { cookie = value }
        return response
    }

    func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = "\(Dashboard.cookieName)=\(cookie)" }
        return try await client.execute(uri: uri, method: .get, headers: headers, body: nil)
    }

    func post(_ client: some TestClientProtocol, _ uri: String, form: String, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let cookie { headers[.cookie] = "\(Dashboard.cookieName)=\(cookie)" }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: form))
    }

    /// The CSRF token of the page at `uri`.
    func csrf(_ client: some TestClientProtocol, on uri: String = "/ui/flags") async throws -> String {
        let page = String(buffer: try await get(client, uri).body)
        guard let range = page.range(of: #"name="csrf" value=""#) else { return "" }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    static func cookieValue(_ header: String) -> String? {
        guard header.hasPrefix(Dashboard.cookieName + "=") else { return nil }
        return String(header.dropFirst(Dashboard.cookieName.count + 1).prefix { $0 != ";" })
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
