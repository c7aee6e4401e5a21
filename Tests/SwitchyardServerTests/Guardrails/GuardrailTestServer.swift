import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import SwitchyardCore
import SwitchyardGuard
import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport
import Synchronization

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let current: Mutex<Timestamp>

    init(_ start: Timestamp = Timestamp(millisecondsSinceEpoch: 1_764_000_000_000)) {
        current = Mutex(start)
    }

    var now: Timestamp { current.withLock { $0 } }

    func advance(by duration: Duration) {
        current.withLock { $0 = $0 + duration }
    }

    /// What the server reads.
    var wallClock: WallClock { WallClock { self.now } }
}

/// A server with guardrails on a manual clock, over an SQLite file (or memory), with one admin and
/// one SDK key.
struct GuardrailTestServer {
    let server: SwitchyardServer
    let admin: String
    let sdk: String
    let logs: LogCapture
    let clock: ManualClock

    /// - Parameter path: an SQLite file to open (a restart reopens the same one), or `nil` for memory.
    init(
        path: String? = nil, clock: ManualClock = ManualClock(), webhooks: [String] = [], interval: Duration = .milliseconds(20),
        keys: (admin: String, sdk: String)? = nil, maximumArms: Int = GuardrailConfiguration.defaultMaximumArmsPerEnvironment
    ) async throws {
        let logs = LogCapture()
        let logger = logs.logger
        let store: any FlagStore & GuardrailStore =
            if let path { try GRDBFlagStore.open(path: path, logger: logger) } else { try GRDBFlagStore(DatabaseQueue(), logger: logger) }
        if let keys {
            admin = keys.admin
            sdk = keys.sdk
        } else {
            admin = try await store.createAPIKey(APIKeyRequest(kind: .admin, environment: nil, name: "admin"), by: .system).secret
            sdk = try await store.createAPIKey(APIKeyRequest(kind: .sdk, environment: "production", name: "web"), by: .system).secret
        }
        self.logs = logs
        self.clock = clock
        let guardrails = GuardrailConfiguration(
            ruleInterval: interval, rolloutInterval: interval, webhooks: webhooks, webhookAttempts: 3,
            webhookBackoff: .milliseconds(10), maximumArmsPerEnvironment: maximumArms)
        server = SwitchyardServer(
            store: store, configuration: ServerConfiguration(host: "127.0.0.1", port: 0, guardrails: guardrails, clock: clock.wallClock),
            registry: PrometheusCollectorRegistry(), logger: logger)
    }

    func application() -> some ApplicationProtocol { server.makeApplication() }

    /// A flag whose `on` variant is the AI path and `off` the safe one, split by `fractional`.
    static let ai: JSONValue = [
        "key": "ai",
        "state": "ENABLED",
        "variants": ["on": true, "off": false],
        "defaultVariant": "off",
        "safeVariant": "off",
        "targeting": ["fractional": [["on", 10], ["off", 90]]],
    ]
}

/// Builds event batches in the documented schema.
struct Traffic {
    var at: Timestamp
    /// The flag the events name.
    var flag: JSONValue
    private var next = 0

    init(at: Timestamp, flag: String = "ai") {
        self.at = at
        self.flag = .string(flag)
    }

    /// An exposure and one output for `unit` in `variant`.
    mutating func use(_ unit: String, _ variant: String, error: Bool = false, chars: Int = 800, segment: String? = nil) -> [JSONValue] {
        next += 1
        var output: [String: JSONValue] = [
            "type": "output", "outputId": .string("o-\(unit)-\(next)"), "flag": flag, "variant": .string(variant), "unitKey": .string(unit),
            "timestamp": .integer(at.millisecondsSinceEpoch), "model": "m-1", "chars": .integer(Int64(chars)), "words": 150, "latencyMs": 900,
            "tokensIn": 200, "tokensOut": 180, "finishReason": error ? "error" : "stop",
        ]
        if error { output["error"] = "upstream timeout" }
        var exposure: [String: JSONValue] = [
            "type": "exposure", "flag": flag, "variant": .string(variant), "reason": "SPLIT", "unitKey": .string(unit),
            "timestamp": .integer(at.millisecondsSinceEpoch),
        ]
        if let segment { exposure["segment"] = .string(segment) }
        return [.object(exposure), .object(output)]
    }

    /// A batch of events.
    static func batch(_ id: String, _ events: [JSONValue]) -> JSONValue {
        ["batchId": .string(id), "events": .array(events)]
    }
}

/// A fresh SQLite file path in the temporary directory.
func temporaryDatabase() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-\(UUID().uuidString).sqlite").path
}

/// Removes an SQLite file and its WAL sidecars.
func removeDatabase(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}
