import Foundation
import SwitchyardCore
import SwitchyardGuard
import SwitchyardServer
import SwitchyardStore
import SwitchyardTestSupport

extension TestServer {
    /// A server with guardrail loops every `interval`, on a clock that starts at `TestClock.fixedStart`
    /// unless told otherwise, over an SQLite file (or memory).
    ///
    /// - Parameters:
    ///   - store: the store to serve; `nil` opens `path` on `clock`.
    ///   - path: an SQLite file to open (a restart reopens the same one), or `nil` for memory.
    static func guarded(
        store: (any FlagStore & GuardrailStore)? = nil, path: String? = nil, clock: TestClock = TestClock(TestClock.fixedStart),
        webhooks: [String] = [],
        interval: Duration = .milliseconds(20), keys: (admin: String, sdk: String)? = nil,
        maximumArms: Int = GuardrailConfiguration.defaultMaximumArmsPerEnvironment
    ) async throws -> TestServer {
        try await TestServer(
            store: store, path: path, keys: keys,
            guardrails: GuardrailConfiguration(
                ruleInterval: interval, rolloutInterval: interval, webhooks: webhooks, webhookAttempts: 3,
                webhookBackoff: .milliseconds(10), maximumArmsPerEnvironment: maximumArms),
            clock: clock)
    }

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
