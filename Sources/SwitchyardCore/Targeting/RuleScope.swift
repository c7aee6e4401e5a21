#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-evaluation data a rule reads besides the context: the time, and inside `map`, `filter`,
/// `reduce` … the current element, which `var` then reads instead of the context.
struct RuleScope {
    /// Seconds since the Unix epoch (`$flagd.timestamp`).
    let timestamp: Int64
    /// The current element, or `nil` at the top, where `var` reads the context.
    let element: JSONValue?

    /// The scope at the top of a flag's targeting.
    init(timestamp: Int64) {
        self.timestamp = timestamp
        element = nil
    }

    private init(timestamp: Int64, element: JSONValue) {
        self.timestamp = timestamp
        self.element = element
    }

    /// The scope for a rule applied to one element of an array.
    func entering(_ element: JSONValue) -> RuleScope {
        RuleScope(timestamp: timestamp, element: element)
    }

    /// The current time in whole seconds since the Unix epoch.
    static func currentTimestamp() -> Int64 {
        Int64(time(nil))
    }
}

/// Evaluating a rule failed the way flagd reports as `PARSE_ERROR`.
struct RuleFailure: Error {
    let message: String
}
