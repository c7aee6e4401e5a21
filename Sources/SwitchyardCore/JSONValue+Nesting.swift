extension JSONValue {
    /// The deepest nesting a flag definition or a segment rule may have when it is written: 64
    /// levels, half of ``maximumNestingDepth``.
    ///
    /// Everything the server wraps around a definition (the served document, exports, the change
    /// feed, stream events) adds a few levels; the other half is room for those, so whatever is
    /// accepted can be served, exported, imported and loaded by a client with the same parser.
    public static let maximumDefinitionNestingDepth = 64

    /// How many arrays and objects deep the value nests: 0 for a scalar, 1 for `[1]` or `{"a": 1}`.
    public var nestingDepth: Int {
        switch self {
        case .array(let elements): 1 + (elements.lazy.map(\.nestingDepth).max() ?? 0)
        case .object(let members): 1 + (members.values.lazy.map(\.nestingDepth).max() ?? 0)
        default: 0
        }
    }
}
