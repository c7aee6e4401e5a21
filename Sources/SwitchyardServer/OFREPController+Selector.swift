import Hummingbird
import SwitchyardCore

extension OFREPController {
    /// The flag set a request selects with `Flagd-Selector`, `nil` without one.
    static func selector(of request: Request) throws(SelectorError) -> FlagSetSelector? {
        guard let value = request.headers[.flagdSelector] else { return nil }
        return try FlagSetSelector.parse(Substring(value))
    }
}
