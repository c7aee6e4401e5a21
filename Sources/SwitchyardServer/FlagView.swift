import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardStore

/// The admin API's view of a flag.
struct FlagView: ResponseEncodable {
    struct Kill: Encodable {
        let reason: String
        let at: String
        /// The id of the key (or `guardrails`) that killed it.
        let by: String
    }

    let key: String
    let version: Int64
    let definition: JSONValue
    let permanent: Bool
    let createdAt: String
    let updatedAt: String
    let kill: Kill?

    init(_ flag: StoredFlag) {
        key = flag.key
        version = flag.version
        definition = flag.definition
        permanent = flag.isPermanent
        createdAt = flag.createdAt.apiText
        updatedAt = flag.updatedAt.apiText
        kill = flag.kill.map { Kill(reason: $0.reason, at: $0.at.apiText, by: $0.by.id) }
    }
}

/// `GET /api/v1/flags`: an environment's flags by key, with the environment's version.
struct FlagList: ResponseEncodable {
    let environment: String
    let version: Int64
    let flags: [FlagView]
}

/// `GET /api/v1/flags/stale`.
struct StaleFlagList: ResponseEncodable {
    let days: Int
    let flags: [FlagView]
}

extension StoredFlag {
    /// The `ETag` of a flag: its version.
    var etag: String { "\"\(version)\"" }
}
