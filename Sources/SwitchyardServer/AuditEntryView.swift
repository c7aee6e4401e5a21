import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardStore

/// The admin API's view of an audit entry.
struct AuditEntryView: Encodable {
    struct AuthorView: Encodable {
        let id: String
        let name: String
    }

    let id: Int64
    let action: String
    let at: String
    let author: AuthorView
    let environment: String?
    let flag: String?
    let before: JSONValue?
    let after: JSONValue?
    let reason: String?
    let version: Int64?

    init(_ entry: AuditEntry) {
        id = entry.id
        action = entry.action
        at = entry.at.apiText
        author = AuthorView(id: entry.author.id, name: entry.author.name)
        environment = entry.environment
        flag = entry.flagKey
        before = entry.before
        after = entry.after
        reason = entry.reason
        version = entry.version
    }
}

/// `GET /api/v1/audit`: entries, newest first.
struct AuditLog: ResponseEncodable {
    let entries: [AuditEntryView]
}
