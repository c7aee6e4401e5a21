/// How much work one evaluation of a flag may do before it stops with a
/// ``EvaluationErrorCode/general`` error.
///
/// Only what can grow beyond the size of the rule is counted: every element an array operator
/// (`map`, `filter`, `reduce`, `all`, `none`, `some`) visits is an operation, and what `cat`,
/// `merge`, `map`, `filter` and `reduce` build is counted in bytes (16 per element or member
/// visited or merged, and for `cat` the UTF-8 length of each piece of text it joins). Targeting without array
/// operators never comes near the default.
public struct EvaluationBudget: Sendable, Hashable {
    /// Array elements visited per evaluation.
    public var operations: Int
    /// Bytes built per evaluation.
    public var bytes: Int

    public init(operations: Int, bytes: Int) {
        self.operations = operations
        self.bytes = bytes
    }

    /// 100,000 operations and 1 MiB: far beyond any real targeting, small enough that one
    /// evaluation takes at most a few milliseconds.
    public static let `default` = EvaluationBudget(operations: 100_000, bytes: 1 << 20)
}

/// What is left of one evaluation's ``EvaluationBudget``; every scope of the evaluation shares it.
struct BudgetMeter {
    let budget: EvaluationBudget
    var operations = 0
    var bytes = 0

    init(_ budget: EvaluationBudget) {
        self.budget = budget
    }
}
