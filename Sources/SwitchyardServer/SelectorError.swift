/// A `Flagd-Selector` header Switchyard cannot apply; OFREP answers 400 with
/// `errorDetails: "invalid selector: <description>"`.
struct SelectorError: Error, CustomStringConvertible {
    private enum Reason {
        case source(String)
        case unknownKey(String)
        case severalPairs
    }

    private let reason: Reason

    private init(_ reason: Reason) {
        self.reason = reason
    }

    /// A source selector (`source=…`, or a bare value, which flagd reads as one).
    static func source(_ source: String) -> SelectorError { SelectorError(.source(source)) }
    /// A key other than `flagSetId` or `source`.
    static func unknownKey(_ key: String) -> SelectorError { SelectorError(.unknownKey(key)) }
    /// More than one `key=value` pair.
    static let severalPairs = SelectorError(.severalPairs)

    var description: String {
        switch reason {
        case .source(let source):
            "\"\(source)\" selects a flag source, and an environment is a single source; select a flag set with flagSetId=<id>"
        case .unknownKey(let key): "unknown key \"\(key)\"; the supported selector is flagSetId=<id>"
        case .severalPairs: "only one key=value pair is supported, such as flagSetId=<id>"
        }
    }
}
