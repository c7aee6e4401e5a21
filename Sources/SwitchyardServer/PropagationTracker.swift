import Foundation
import SwitchyardGuard
import SwitchyardStore
import Synchronization

/// Remembers, per client, which versions reached it and when: written to its stream
/// (``Stage/delivered``) and reported as applied by the client (``Stage/applied``, a receipt).
///
/// Every stream counts for delivery, so clients that post no receipts (OFREP streams, flagd
/// providers) still show in `propagation`; receipts add when the client actually serves a version.
final class PropagationTracker: Sendable {
    /// How far a change got.
    enum Stage: Sendable {
        /// Written to the client's stream.
        case delivered
        /// Reported by the client as served (`POST /api/v1/sdk/applied`, or `Last-Event-ID` on reconnect).
        case applied
    }

    struct Record: Sendable {
        let version: Int64
        let at: Date
    }

    /// The last records per stage, environment and client: 64 of each client.
    private let records = Mutex<[Stage: [String: [String: [Record]]]]>([:])
    /// Where the time a version reached a client is read.
    private let clock: WallClock

    init(clock: WallClock) {
        self.clock = clock
    }

    /// Records that a version reached a client, now.
    func record(_ stage: Stage, environment: String, client: String, version: Int64) {
        let at = clock.date
        records.withLock { records in
            var list = records[stage, default: [:]][environment, default: [:]][client, default: []]
            if let last = list.last, last.version >= version { return }
            list.append(Record(version: version, at: at))
            if list.count > 64 { list.removeFirst(list.count - 64) }
            records[stage, default: [:]][environment, default: [:]][client] = list
        }
    }

    /// When a client first reached a version at or above `version` at `stage`.
    func reachedAt(_ stage: Stage, environment: String, client: String, version: Int64) -> Date? {
        records.withLock { $0[stage]?[environment]?[client]?.first { $0.version >= version }?.at }
    }

    /// Whether a client has ever reported a version as applied: clients that never do post no receipts.
    func postsReceipts(environment: String, client: String) -> Bool {
        records.withLock { $0[.applied]?[environment]?[client]?.isEmpty == false }
    }
}
