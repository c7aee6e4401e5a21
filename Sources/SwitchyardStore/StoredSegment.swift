import SwitchyardCore

/// A segment as stored: a shared JsonLogic rule (an `$evaluators` entry) flags use with
/// `{"$ref": name}`, and its version.
package struct StoredSegment: Sendable, Equatable {
    /// The segment name.
    package var name: String
    /// The JsonLogic rule.
    package var rule: JSONValue
    /// 1 when created, increased by every write to this segment; what `If-Match` compares.
    package var version: Int64

    package init(name: String, rule: JSONValue, version: Int64) {
        self.name = name
        self.rule = rule
        self.version = version
    }
}
