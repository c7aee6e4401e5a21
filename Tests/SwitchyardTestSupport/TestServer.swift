import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import SwitchyardCore
import SwitchyardDashboard
import SwitchyardGRPC
import SwitchyardGuard
import SwitchyardServer
import SwitchyardStore

/// A Switchyard server for tests, with one admin and one SDK key, on a clock the test moves.
///
/// By default it runs over an in-memory SQLite database with the server's default configuration;
/// each option changes one thing: the store (an SQLite file that a restart reopens, or any store such
/// as PostgreSQL), the keys (a restart reuses the first server's), the production document it starts
/// with, the clock, the guardrail loops, the limits, the dashboard and flagd's gRPC services.
/// Tests drive it with `application().test(.router)` or `.live`.
package struct TestServer: Sendable {
    /// The store the server reads and writes.
    package let store: any FlagStore & GuardrailStore
    /// The server.
    package let server: SwitchyardServer
    /// An admin key's secret.
    package let admin: String
    /// The admin key's id, as audit entries name their author.
    package let adminID: String
    /// An SDK key's secret, for `production`.
    package let sdk: String
    /// The SDK key's id.
    package let sdkKeyID: String
    /// What the server logged.
    package let logs: LogCapture
    /// The wall clock the server reads.
    package let clock: TestClock

    /// - Parameters:
    ///   - store: the store to serve; `nil` opens `path`, or an in-memory database, on `clock`.
    ///   - path: an SQLite file to open when `store` is `nil` (a restart reopens the same one).
    ///   - keys: the admin and SDK secrets when the store already has them; `nil` creates both.
    ///   - adminKeyName: the name of the admin key it creates.
    ///   - sdkKeyName: the name of the SDK key it creates.
    ///   - document: a flagd document `production` starts with, imported before the server is built.
    ///   - grpc: flagd's gRPC services, given the SDK key's id (for selector bindings); `nil` serves none.
    package init(
        store: (any FlagStore & GuardrailStore)? = nil, path: String? = nil, keys: (admin: String, sdk: String)? = nil,
        adminKeyName: String = "admin", sdkKeyName: String = "web", document: JSONValue? = nil, heartbeat: Duration = .seconds(15),
        keyCacheLifetime: Duration = .seconds(10), guardrails: GuardrailConfiguration = GuardrailConfiguration(),
        maximumBodyBytes: Int = ServerConfiguration.defaultMaximumBodyBytes, ofrepRateLimit: Int? = nil,
        changeRetention: ChangeRetention = ChangeRetention(), clock: TestClock = TestClock(),
        idleTimeout: Duration = ServerConfiguration.defaultIdleTimeout, dashboard: DashboardConfiguration = DashboardConfiguration(),
        grpc: ((_ sdkKeyID: String) throws -> FlagdGRPCConfiguration)? = nil
    ) async throws {
        let logs = LogCapture()
        let logger = logs.logger
        let store: any FlagStore & GuardrailStore =
            if let store { store } else if let path { try GRDBFlagStore.open(path: path, logger: logger, clock: clock.wallClock) } else {
                try GRDBFlagStore(DatabaseQueue(), logger: logger, clock: clock.wallClock)
            }
        let adminKey: APIKey
        let sdkKey: APIKey
        if let keys {
            admin = keys.admin
            sdk = keys.sdk
            adminKey = try await Self.existingKey(keys.admin, in: store)
            sdkKey = try await Self.existingKey(keys.sdk, in: store)
        } else {
            let issuedAdmin = try await store.createAPIKey(APIKeyRequest(kind: .admin, environment: nil, name: adminKeyName), by: .system)
            let issuedSDK = try await store.createAPIKey(APIKeyRequest(kind: .sdk, environment: "production", name: sdkKeyName), by: .system)
            (admin, adminKey) = (issuedAdmin.secret, issuedAdmin.key)
            (sdk, sdkKey) = (issuedSDK.secret, issuedSDK.key)
        }
        adminID = adminKey.id
        sdkKeyID = sdkKey.id
        if let document {
            _ = try await store.apply(.replaceDocument(document, strictness: .flagd), to: "production", by: .system, reason: "test")
        }
        self.store = store
        self.logs = logs
        self.clock = clock
        server = SwitchyardServer(
            store: store,
            configuration: ServerConfiguration(
                host: "127.0.0.1", port: 0, heartbeatInterval: heartbeat, keyCacheLifetime: keyCacheLifetime, guardrails: guardrails,
                maximumBodyBytes: maximumBodyBytes, ofrepRateLimit: ofrepRateLimit, changeRetention: changeRetention, clock: clock.wallClock,
                idleTimeout: idleTimeout, dashboard: dashboard, grpc: try grpc?(sdkKey.id)),
            registry: PrometheusCollectorRegistry(), logger: logger)
    }

    /// The key a reused secret names in `store`.
    private static func existingKey(_ secret: String, in store: any FlagStore) async throws -> APIKey {
        guard let key = try await store.apiKey(secret: secret) else { throw StoreError.notFound("the key the test reuses") }
        return key
    }

    /// The server's application, for `test(.router)` or `testLive`.
    package func application() -> some ApplicationProtocol { server.makeApplication() }

    /// A flag definition without its key: `on` for the `pro` plan, `off` otherwise.
    package static let summary: JSONValue = [
        "state": "ENABLED",
        "variants": ["on": true, "off": false],
        "defaultVariant": "off",
        "safeVariant": "off",
        "targeting": ["if": [["==": [["var": "plan"], "pro"]], "on", "off"]],
    ]

    /// A flag definition with its key, as `POST /api/v1/flags` takes it.
    package static func creation(_ key: String, _ definition: JSONValue = summary) -> JSONValue {
        guard case .object(var members) = definition else { return definition }
        members["key"] = .string(key)
        return .object(members)
    }
}

extension TestClientProtocol {
    /// Sends a request with a key and an optional JSON body.
    @discardableResult
    package func send(
        _ method: HTTPRequest.Method, _ uri: String, key: String?, json: JSONValue? = nil, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = headers
        if let key { headers[.authorization] = "Bearer \(key)" }
        let body = json.map { ByteBuffer(string: $0.serialized()) } ?? ByteBuffer()
        return try await execute(uri: uri, method: method, headers: headers, body: body)
    }
}

extension TestResponse {
    /// The body as JSON.
    package var json: JSONValue {
        get throws { try JSONValue(parsing: String(buffer: body)) }
    }
}
