/// The flag set a request selects with flagd's selector syntax, `flagSetId=<id>` (spec §1.4): OFREP's
/// `Flagd-Selector` header, and gRPC's `flagd-selector` metadata or `selector` field.
///
/// A flag belongs to the set named by its own `metadata.flagSetId`, else by the document's; an empty
/// id (`flagSetId=`) selects the flags that belong to none.
public struct FlagSetSelector: Sendable, Equatable {
    /// The selected flag set id; empty for the flags without one.
    public let flagSetId: String

    /// The longest selector accepted, in UTF-8 bytes; a longer one is refused before it is read.
    public static let maximumLength = 256

    /// The selector a header value asks for, `nil` for an empty value (no selection).
    public static func parse(_ value: Substring) throws(SelectorError) -> FlagSetSelector? {
        guard value.utf8.count <= maximumLength else { throw .tooLong(value.utf8.count) }
        let text = value.trimmingSpaces
        guard !text.isEmpty else { return nil }
        guard let equals = text.firstIndex(of: "=") else { throw .source(String(text)) }
        let key = text[..<equals]
        let id = text[text.index(after: equals)...]
        switch key {
        case "flagSetId":
            guard !id.contains(",") else { throw .severalPairs }
            return FlagSetSelector(flagSetId: String(id))
        case "source": throw .source(String(id))
        default: throw .unknownKey(String(key))
        }
    }

    /// Whether `document` has a flag `key` and it is in the selected set.
    public func selects(_ key: String, in document: FlagDocument) -> Bool {
        document.flags[key].map(contains) ?? false
    }

    /// Whether a flag is in the selected set.
    public func contains(_ flag: Flag) -> Bool {
        switch flag.resultMetadata["flagSetId"] {
        case nil: flagSetId.isEmpty
        case .string(let id): id == flagSetId
        default: false
        }
    }

    /// The selection, reflected into response metadata as flagd does.
    public var metadata: [String: JSONValue] { ["flagSetId": .string(flagSetId)] }
}
