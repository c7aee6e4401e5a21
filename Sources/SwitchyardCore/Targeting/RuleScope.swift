#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Per-evaluation data a rule reads besides the context: the time, what is left of the budget,
/// and inside `map`, `filter`, `reduce` … the current element, which `var` then reads instead of
/// the context.
struct RuleScope {
    /// Seconds since the Unix epoch (`$flagd.timestamp`).
    let timestamp: Int64
    /// The current element, or `nil` at the top, where `var` reads the context.
    let element: JSONValue?
    /// The evaluation's meter, on the stack of ``Flag/resolve(context:timestamp:)`` for as long as
    /// the evaluation runs.
    private let meter: UnsafeMutablePointer<BudgetMeter>

    /// The scope at the top of a flag's targeting.
    init(timestamp: Int64, meter: UnsafeMutablePointer<BudgetMeter>) {
        self.timestamp = timestamp
        self.meter = meter
        element = nil
    }

    private init(timestamp: Int64, element: JSONValue, meter: UnsafeMutablePointer<BudgetMeter>) {
        self.timestamp = timestamp
        self.element = element
        self.meter = meter
    }

    /// The scope for a rule applied to one element of an array.
    func entering(_ element: JSONValue) -> RuleScope {
        RuleScope(timestamp: timestamp, element: element, meter: meter)
    }

    /// Counts work against the evaluation's budget; fails with ``EvaluationErrorCode/general``
    /// once it is spent.
    func charge(operations: Int = 0, bytes: Int = 0) throws(RuleFailure) {
        meter.pointee.operations += operations
        meter.pointee.bytes += bytes
        let budget = meter.pointee.budget
        if meter.pointee.operations > budget.operations {
            throw RuleFailure(exceedsBudget: true, message: "exceeded the evaluation budget of \(budget.operations) operations")
        }
        if meter.pointee.bytes > budget.bytes {
            throw RuleFailure(exceedsBudget: true, message: "exceeded the evaluation budget of \(budget.bytes) bytes")
        }
    }

    /// Bytes counted for one element of an array or member of an object that an operator builds.
    static let bytesPerElement = 16

    /// The current time in whole seconds since the Unix epoch.
    static func currentTimestamp() -> Int64 {
        Int64(time(nil))
    }
}

/// Evaluating a rule failed: the way flagd reports as `PARSE_ERROR` (an unknown operator), or
/// ``EvaluationErrorCode/general`` when the evaluation budget is spent.
struct RuleFailure: Error {
    /// Whether the evaluation budget was spent, rather than the rule being wrong.
    var exceedsBudget = false
    let message: String
}
