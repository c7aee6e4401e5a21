import Foundation
import Logging
import SwitchyardClient
import Synchronization

/// Collects every log line, to check what reaches the logs.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func handler() -> some LogHandler { Handler(capture: self) }

    var logger: Logger {
        Logger(label: "client") { _ in self.handler() }
    }

    func contains(_ level: Logger.Level, _ message: String) -> Bool {
        lines.withLock { $0.contains { $0.hasPrefix("\(level) ") && $0.contains(message) } }
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append("\(event.level) \(event.message) \(all)")
        }
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-client-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

extension SwitchyardClient.Options {
    /// Options with short delays, for tests.
    static func fast(logs: LogCapture, cacheFile: String? = nil, bootstrapFile: String? = nil) -> Self {
        SwitchyardClient.Options(
            cacheFile: cacheFile, bootstrapFile: bootstrapFile, startTimeout: .seconds(1), requestTimeout: .seconds(2),
            reconnectDelay: .milliseconds(20) ... .milliseconds(200), flushInterval: .seconds(3600), shutdownTimeout: .seconds(2), logger: logs.logger)
    }
}

extension EvaluationContext {
    static let pro = EvaluationContext.user("u-1", ["plan": "pro"])
    static let free = EvaluationContext.user("u-2", ["plan": "free"])
}
