import Foundation
import SwitchyardCore
import SwitchyardStore

/// What one environment serves at one version: the compiled document every evaluation reads.
/// Immutable; a change produces a new snapshot.
struct EnvironmentSnapshot: Sendable {
    /// The environment name.
    let environment: String
    /// The newest change applied.
    let version: Int64
    /// The served flagd document's top-level members (kills applied).
    let served: [String: JSONValue]
    /// `served`, compiled.
    let document: FlagDocument
    /// When the newest change was committed.
    let lastModified: Date

    init(environment: String, version: Int64, served: [String: JSONValue], lastModified: Date) throws(FlagDocumentError) {
        self.environment = environment
        self.version = version
        self.served = served
        self.document = try FlagDocument(json: .object(served))
        self.lastModified = lastModified
    }

    /// The snapshot after one change-feed row.
    func applying(_ change: ChangeRecord) throws(FlagDocumentError) -> EnvironmentSnapshot {
        var served = self.served
        switch change.payload {
        case .flag(let key, let flag):
            var flags = served["flags"]?.objectValue ?? [:]
            flags[key] = flag
            served["flags"] = .object(flags)
        case .document(let document):
            served = document.objectValue ?? [:]
        }
        return try EnvironmentSnapshot(environment: environment, version: change.version, served: served, lastModified: change.at)
    }

    /// The HTTP entity tag of the whole document.
    var etag: String { "\"\(environment)-\(version)\"" }
}
