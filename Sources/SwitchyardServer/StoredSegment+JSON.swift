import SwitchyardCore
import SwitchyardStore

extension StoredSegment {
    /// The admin API's view of a segment.
    var json: JSONValue {
        ["name": .string(name), "version": .integer(version), "rule": rule]
    }

    /// The `ETag` of a segment: its version.
    var etag: String { "\"\(version)\"" }
}
