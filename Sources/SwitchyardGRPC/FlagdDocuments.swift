import SwitchyardCore
import Synchronization

/// The flagd JSON of each environment and selected flag set at its newest version, serialised once
/// for every stream that sends it (a change reaches every sync stream at once).
final class FlagdDocuments: Sendable {
    private struct Key: Hashable {
        let environment: String
        let flagSetId: String?
    }

    private struct Entry {
        let version: Int64
        let text: String
    }

    /// The most environment and flag-set pairs remembered; beyond that the cache starts over.
    static let capacity = 1_024

    private let entries = Mutex<[Key: Entry]>([:])

    /// The flagd JSON of `snapshot` as `selector` selects it.
    func text(of snapshot: FlagdSnapshot, environment: String, selector: FlagSetSelector?) -> String {
        let key = Key(environment: environment, flagSetId: selector?.flagSetId)
        if let entry = entries.withLock({ $0[key] }), entry.version == snapshot.version { return entry.text }
        let text = snapshot.document.flagdJSON(selectedBy: selector).serialized()
        entries.withLock { entries in
            if let existing = entries[key], existing.version > snapshot.version { return }
            if entries.count >= Self.capacity { entries.removeAll() }
            entries[key] = Entry(version: snapshot.version, text: text)
        }
        return text
    }
}
