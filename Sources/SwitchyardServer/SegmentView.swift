import Hummingbird
import SwitchyardCore
import SwitchyardStore

/// The admin API's view of a segment.
struct SegmentView: ResponseEncodable {
    let name: String
    let version: Int64
    let rule: JSONValue

    init(_ segment: StoredSegment) {
        name = segment.name
        version = segment.version
        rule = segment.rule
    }
}

/// `GET /api/v1/segments`: an environment's segments by name, with the environment's version.
struct SegmentList: ResponseEncodable {
    let environment: String
    let version: Int64
    let segments: [SegmentView]
}

extension StoredSegment {
    /// The `ETag` of a segment: its version.
    var etag: String { "\"\(version)\"" }
}
