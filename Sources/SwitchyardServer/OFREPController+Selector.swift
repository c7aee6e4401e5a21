import Hummingbird
import SwitchyardCore

extension OFREPController {
    /// The flag set a request selects with `Flagd-Selector`, `nil` without one.
    static func selector(of request: Request) throws(SelectorError) -> FlagSetSelector? {
        guard let value = request.headers[.flagdSelector] else { return nil }
        return try FlagSetSelector.parse(Substring(value))
    }

    /// A flag's resolution within the selected flag set: a flag outside it is not found, and the
    /// selection is reflected into the metadata.
    static func resolve(_ key: String, in document: FlagDocument, context: EvaluationContext, selector: FlagSetSelector?) -> Resolution {
        guard let selector else { return document.resolve(key, context: context) }
        var resolution: Resolution
        if let flag = document.flags[key], selector.contains(flag) {
            resolution = document.resolve(key, context: context)
        } else {
            resolution = .failure(.flagNotFound, "flag \"\(key)\" does not exist in flag set \"\(selector.flagSetId)\"", metadata: document.metadata)
        }
        resolution.metadata.merge(selector.metadata) { _, reflected in reflected }
        return resolution
    }
}
