import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import SwitchyardCore
import SwitchyardDashboard
import SwitchyardGuard
@testable import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport

/// A server with guardrails over an in-memory database, its dashboard on a clock the test moves,
/// one admin and one SDK key.
struct DashboardTestServer {
    let server: SwitchyardServer
    let store: GRDBFlagStore<DatabaseQueue>
    let admin: String
    let adminID: String
    let sdk: String
    let clock: TestClock

    init(idleTimeout: Duration = .seconds(12 * 3600), maximumSessions: Int = 1_000) async throws {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let store = try GRDBFlagStore(DatabaseQueue(), logger: logger)
        self.store = store
        let issued = try await store.createAPIKey(APIKeyRequest(kind: .admin, environment: nil, name: "ops-admin"), by: .system)
        admin = issued.secret
        adminID = issued.key.id
        sdk = try await store.createAPIKey(APIKeyRequest(kind: .sdk, environment: "production", name: "web"), by: .system).secret
        let clock = TestClock()
        self.clock = clock
        server = SwitchyardServer(
            store: store,
            configuration: ServerConfiguration(
                host: "127.0.0.1", port: 0, keyCacheLifetime: .zero,
                guardrails: GuardrailConfiguration(ruleInterval: .seconds(3600), rolloutInterval: .seconds(3600)),
                clock: clock.wallClock, dashboard: DashboardConfiguration(sessionIdleTimeout: idleTimeout, maximumSessions: maximumSessions)),
            registry: PrometheusCollectorRegistry(), logger: logger)
    }

    func application() -> some ApplicationProtocol { server.makeApplication() }

    static let summary: JSONValue = [
        "key": "ai-summary",
        "state": "ENABLED",
        "variants": ["on": true, "off": false],
        "defaultVariant": "off",
        "safeVariant": "off",
        "targeting": ["if": [["$ref": "internal-users"], "on", ["fractional": [["on", 5], ["off", 95]]]]],
    ]

    static let internalUsers: JSONValue = ["in": [["var": "email"], ["alice@example.com", "bob@example.com"]]]

    /// Creates the segment and the flag through the admin API.
    func seed(_ client: some TestClientProtocol) async throws {
        let segment = try await client.send(.put, "/api/v1/segments/internal-users", key: admin, json: Self.internalUsers)
        precondition(segment.status == .created, "segment: \(segment.status)")
        let flag = try await client.send(.post, "/api/v1/flags", key: admin, json: Self.summary)
        precondition(flag.status == .created, "flag: \(flag.status) \(String(buffer: flag.body))")
    }
}

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
