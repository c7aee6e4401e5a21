import SwitchyardCore

/// An SDK key bound to a selector, for flagd clients that cannot send call metadata (the flagd
/// daemon's gRPC source, providers whose channel carries no credentials): a call with no
/// `authorization` whose selector is exactly ``selector`` is served as if it had sent the key.
///
/// Off unless configured (`serve --grpc-selector-key KEY_ID=SELECTOR`). Whoever can reach the gRPC
/// port and knows the selector then reads that environment's flags, so bind only on a network you
/// trust; the key's revocation ends the binding.
package struct FlagdSelectorBinding: Sendable, Equatable {
    /// The SDK key's id (`key_…`, as `switchyard keys list` shows it).
    package let keyID: String
    /// The selector as sent, for example `flagSetId=ai-features`.
    package let selector: String

    /// Reads `KEY_ID=SELECTOR`; the selector must be one Switchyard can apply.
    package init(_ text: String) throws(FlagdSelectorBindingError) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { throw .shape(text) }
        let keyID = String(text[..<equals])
        let selector = String(text[text.index(after: equals)...])
        let parsed: FlagSetSelector?
        do {
            parsed = try FlagSetSelector.parse(Substring(selector))
        } catch {
            throw .selector(selector, error)
        }
        guard parsed != nil else { throw .shape(text) }
        self.keyID = keyID
        self.selector = selector
    }
}

/// A `--grpc-selector-key` value that cannot be used.
package struct FlagdSelectorBindingError: Error, CustomStringConvertible {
    package let description: String

    static func shape(_ text: String) -> FlagdSelectorBindingError {
        FlagdSelectorBindingError(description: "\"\(text)\" is not KEY_ID=SELECTOR (for example key_0123456789ab=flagSetId=ai-features)")
    }

    static func selector(_ selector: String, _ error: SelectorError) -> FlagdSelectorBindingError {
        FlagdSelectorBindingError(description: "the selector \"\(selector)\" cannot be applied: \(error)")
    }
}
