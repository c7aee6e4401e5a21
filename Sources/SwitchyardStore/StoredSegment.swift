import SwitchyardCore

/// A segment as stored: a shared JsonLogic rule (an `$evaluators` entry) flags use with
/// `{"$ref": name}`, and its version.
public struct StoredSegment: Sendable, Equatable {
    /// The segment name.
    public var name: String
    /// The JsonLogic rule.
    public var rule: JSONValue
    /// 1 when created, increased by every write to this segment; what `If-Match` compares.
    public var version: Int64

    public init(name: String, rule: JSONValue, version: Int64) {
        self.name = name
        self.rule = rule
        self.version = version
    }
}
