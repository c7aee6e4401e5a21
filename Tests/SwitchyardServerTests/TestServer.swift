import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Prometheus
import SwitchyardCore
import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport

/// A server over an in-memory database, with one admin and one SDK key.
struct TestServer {
    let store: GRDBFlagStore<DatabaseQueue>
    let server: SwitchyardServer
    let admin: String
    let sdk: String
    let logs: LogCapture

    init(
        store: GRDBFlagStore<DatabaseQueue>? = nil, heartbeat: Duration = .seconds(15),
        maximumBodyBytes: Int = ServerConfiguration.defaultMaximumBodyBytes, ofrepRateLimit: Int? = nil,
        changeRetention: ChangeRetention = ChangeRetention(), clock: TestClock = TestClock(),
        idleTimeout: Duration = ServerConfiguration.defaultIdleTimeout
    ) async throws {
        let logs = LogCapture()
        let logger = logs.logger
        let store = try store ?? GRDBFlagStore(DatabaseQueue(), logger: logger)
        self.store = store
        self.logs = logs
        admin = try await store.createAPIKey(APIKeyRequest(kind: .admin, environment: nil, name: "admin"), by: .system).secret
        sdk = try await store.createAPIKey(APIKeyRequest(kind: .sdk, environment: "production", name: "web"), by: .system).secret
        server = SwitchyardServer(
            store: store,
            configuration: ServerConfiguration(
                host: "127.0.0.1", port: 0, heartbeatInterval: heartbeat, maximumBodyBytes: maximumBodyBytes, ofrepRateLimit: ofrepRateLimit,
                changeRetention: changeRetention, clock: clock.wallClock, idleTimeout: idleTimeout),
            registry: PrometheusCollectorRegistry(), logger: logger)
    }

    func application() -> some ApplicationProtocol { server.makeApplication() }

    static let summary: JSONValue = [
        "state": "ENABLED",
        "variants": ["on": true, "off": false],
        "defaultVariant": "off",
        "safeVariant": "off",
        "targeting": ["if": [["==": [["var": "plan"], "pro"]], "on", "off"]],
    ]

    /// A flag definition with its key, as `POST /api/v1/flags` takes it.
    static func creation(_ key: String, _ definition: JSONValue = summary) -> JSONValue {
        guard case .object(var members) = definition else { return definition }
        members["key"] = .string(key)
        return .object(members)
    }
}

extension TestClientProtocol {
    /// Sends a request with a key and an optional JSON body.
    @discardableResult
    func send(
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
    var json: JSONValue {
        get throws { try JSONValue(parsing: String(buffer: body)) }
    }
}
