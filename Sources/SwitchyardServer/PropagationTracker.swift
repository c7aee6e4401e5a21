import Foundation
import Synchronization

/// Remembers which version each client reported as applied, and when.
final class PropagationTracker: Sendable {
    struct Receipt: Sendable {
        let version: Int64
        let at: Date
    }

    /// Receipts per environment and client, the last 64 of each client.
    private let receipts = Mutex<[String: [String: [Receipt]]]>([:])

    /// Records that a client applied a version.
    func record(environment: String, client: String, version: Int64, at: Date) {
        receipts.withLock { receipts in
            var list = receipts[environment, default: [:]][client, default: []]
            if let last = list.last, last.version >= version { return }
            list.append(Receipt(version: version, at: at))
            if list.count > 64 { list.removeFirst(list.count - 64) }
            receipts[environment, default: [:]][client] = list
        }
    }

    /// When a client first reported a version at or above `version`.
    func appliedAt(environment: String, client: String, version: Int64) -> Date? {
        receipts.withLock { $0[environment]?[client]?.first { $0.version >= version }?.at }
    }
}
