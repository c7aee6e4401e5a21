/// Per-evaluation data a rule reads besides the context: the time, what is left of the budget,
/// and inside `map`, `filter`, `reduce` … the current element, which `var` then reads instead of
/// the context. Rules take it `inout`, so every rule of one evaluation charges the same meter.
struct RuleScope {
    /// Seconds since the Unix epoch (`$flagd.timestamp`).
    let timestamp: Int64
    /// The current element, or `nil` at the top, where `var` reads the context.
    private(set) var element: JSONValue?
    /// The work counted so far against the evaluation's budget.
    private var meter: BudgetMeter

    /// The scope at the top of a flag's targeting.
    init(timestamp: Int64, budget: EvaluationBudget) {
        self.timestamp = timestamp
        meter = BudgetMeter(budget)
        element = nil
    }

    /// `rule` applied to one element of an array: `var` reads `element` instead of the context.
    /// What the rule charges stays charged.
    mutating func evaluate(_ rule: any Rule, on element: JSONValue, _ context: EvaluationContext) throws(RuleFailure) -> JSONValue {
        let outer = self.element
        self.element = element
        defer { self.element = outer }
        return try rule.evaluate(context, &self)
    }

    /// Counts work against the evaluation's budget; fails with ``EvaluationErrorCode/general``
    /// once it is spent.
    mutating func charge(operations: Int = 0, bytes: Int = 0) throws(RuleFailure) {
        meter.operations += operations
        meter.bytes += bytes
        let budget = meter.budget
        if meter.operations > budget.operations {
            throw RuleFailure(exceedsBudget: true, message: "exceeded the evaluation budget of \(budget.operations) operations")
        }
        if meter.bytes > budget.bytes {
            throw RuleFailure(exceedsBudget: true, message: "exceeded the evaluation budget of \(budget.bytes) bytes")
        }
    }

    /// Bytes counted for one element of an array or member of an object that an operator builds.
    static let bytesPerElement = 16
}

/// Evaluating a rule failed: the way flagd reports as `PARSE_ERROR` (an unknown operator), or
/// ``EvaluationErrorCode/general`` when the evaluation budget is spent.
struct RuleFailure: Error {
    /// Whether the evaluation budget was spent, rather than the rule being wrong.
    var exceedsBudget = false
    let message: String
}
