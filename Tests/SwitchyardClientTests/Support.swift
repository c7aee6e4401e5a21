import Foundation
import SwitchyardClient
import SwitchyardTestSupport

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
            reconnectDelay: .milliseconds(20) ... .milliseconds(200), flushInterval: .seconds(3600), shutdownTimeout: .seconds(2), logger: logs.logger
        )
    }
}

extension EvaluationContext {
    static let pro = EvaluationContext.user("u-1", ["plan": "pro"])
    static let free = EvaluationContext.user("u-2", ["plan": "free"])
}
