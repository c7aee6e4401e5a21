import HummingbirdTesting
import SwitchyardCore
import SwitchyardDashboard
import SwitchyardServer
import SwitchyardTestSupport

extension TestServer {
    /// A server for the dashboard: its admin key is `ops-admin`, keys are looked up on every request
    /// (so a revoked key is refused at once) and the guardrail loops are too slow to interfere.
    static func dashboard(idleTimeout: Duration = .seconds(12 * 3600), maximumSessions: Int = 1_000) async throws -> TestServer {
        try await TestServer(
            adminKeyName: "ops-admin", keyCacheLifetime: .zero,
            guardrails: GuardrailConfiguration(ruleInterval: .seconds(3600), rolloutInterval: .seconds(3600)),
            dashboard: DashboardConfiguration(sessionIdleTimeout: idleTimeout, maximumSessions: maximumSessions))
    }

    /// `ai-summary`: `on` for the `internal-users` segment, a 5 % split otherwise.
    static let aiSummary: JSONValue = [
        "key": "ai-summary",
        "state": "ENABLED",
        "variants": ["on": true, "off": false],
        "defaultVariant": "off",
        "safeVariant": "off",
        "targeting": ["if": [["$ref": "internal-users"], "on", ["fractional": [["on", 5], ["off", 95]]]]],
    ]

    /// The `internal-users` segment.
    static let internalUsers: JSONValue = ["in": [["var": "email"], ["alice@example.com", "bob@example.com"]]]

    /// Creates the `internal-users` segment and the `ai-summary` flag through the admin API.
    func seed(_ client: some TestClientProtocol) async throws {
        let segment = try await client.send(.put, "/api/v1/segments/internal-users", key: admin, json: Self.internalUsers)
        precondition(segment.status == .created, "segment: \(segment.status)")
        let flag = try await client.send(.post, "/api/v1/flags", key: admin, json: Self.aiSummary)
        precondition(flag.status == .created, "flag: \(flag.status) \(String(buffer: flag.body))")
    }

    /// Runs `body` against the router after seeding, with a browser signed in with the admin key.
    func withSeededSession(_ body: @Sendable (any TestClientProtocol, Browser) async throws -> Void) async throws {
        try await application().test(.router) { client in
            try await seed(client)
            var browser = Browser()
            try await browser.signIn(client, key: admin)
            try await body(client, browser)
        }
    }
}
