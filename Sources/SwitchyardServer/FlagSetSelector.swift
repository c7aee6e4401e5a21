import SwitchyardCore

/// The flag set an OFREP request selects with `Flagd-Selector: flagSetId=<id>` (flagd's selector
/// syntax, spec §1.4).
///
/// A flag belongs to the set named by its own `metadata.flagSetId`, else by the document's; an empty
/// id (`flagSetId=`) selects the flags that belong to none.
struct FlagSetSelector: Sendable, Equatable {
    /// The selected flag set id; empty for the flags without one.
    let flagSetId: String

    /// The selector a header value asks for, `nil` for an empty value (no selection).
    static func parse(_ value: Substring) throws(SelectorError) -> FlagSetSelector? {
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

    /// Whether a flag is in the selected set.
    func contains(_ flag: Flag) -> Bool {
        switch flag.resultMetadata["flagSetId"] {
        case nil: flagSetId.isEmpty
        case .string(let id): id == flagSetId
        default: false
        }
    }

    /// The selection, reflected into response metadata as flagd does.
    var metadata: [String: JSONValue] { ["flagSetId": .string(flagSetId)] }
}
