import Logging
import Synchronization

/// Collects every log line with its metadata, to check what reaches the logs.
package final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    package init() {}

    /// Every line so far, one per log call: `LEVEL MESSAGE METADATA`.
    package var text: String { lines.withLock { $0.joined(separator: "\n") } }

    /// A handler that appends to this capture, for `Logger(label:factory:)`.
    package func handler() -> some LogHandler { Handler(capture: self) }

    /// A logger that writes here.
    package var logger: Logger {
        Logger(label: "test") { _ in self.handler() }
    }

    /// Whether a line of `level` contains `message`.
    package func contains(_ level: Logger.Level, _ message: String) -> Bool {
        lines.withLock { $0.contains { $0.hasPrefix("\(level) ") && $0.contains(message) } }
    }

    /// How many lines of `level` contain `message`.
    package func count(_ level: Logger.Level, _ message: String) -> Int {
        lines.withLock { $0.count { $0.hasPrefix("\(level) ") && $0.contains(message) } }
    }

    private func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
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
