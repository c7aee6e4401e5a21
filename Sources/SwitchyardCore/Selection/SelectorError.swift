/// A selector Switchyard cannot apply; OFREP answers 400 with `errorDetails: "invalid selector:
/// <description>"`, gRPC `INVALID_ARGUMENT` with the same words.
public struct SelectorError: Error, CustomStringConvertible {
    private enum Reason {
        case source(String)
        case unknownKey(String)
        case severalPairs
        case tooLong(Int)
    }

    private let reason: Reason

    private init(_ reason: Reason) {
        self.reason = reason
    }

    /// A source selector (`source=…`, or a bare value, which flagd reads as one).
    public static func source(_ source: String) -> SelectorError { SelectorError(.source(source)) }
    /// A key other than `flagSetId` or `source`.
    public static func unknownKey(_ key: String) -> SelectorError { SelectorError(.unknownKey(key)) }
    /// More than one `key=value` pair.
    public static let severalPairs = SelectorError(.severalPairs)

    /// A selector longer than ``FlagSetSelector/maximumLength`` bytes.
    public static func tooLong(_ length: Int) -> SelectorError { SelectorError(.tooLong(length)) }

    public var description: String {
        switch reason {
        case .source(let source):
            "\"\(source)\" selects a flag source, and an environment is a single source; select a flag set with flagSetId=<id>"
        case .unknownKey(let key): "unknown key \"\(key)\"; the supported selector is flagSetId=<id>"
        case .severalPairs: "only one key=value pair is supported, such as flagSetId=<id>"
        case .tooLong(let length): "\(length) bytes long; at most \(FlagSetSelector.maximumLength) are accepted"
        }
    }
}
