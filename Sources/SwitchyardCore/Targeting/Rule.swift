/// A targeting rule compiled from JsonLogic, evaluated without looking at JSON again.
///
/// Rules form an immutable tree of small final classes: evaluation walks it through borrowed
/// references, so the hot path neither allocates nor copies.
protocol Rule: AnyObject, Sendable {
    /// Evaluates the rule. Operator errors that flagd maps to `null` give `.null`; only an unknown
    /// operator throws.
    func evaluate(_ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> JSONValue
    /// Evaluates the rule as a condition (JsonLogic truthiness), without building a value where
    /// the rule can avoid it.
    func test(_ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> Bool
    /// Whether evaluating may read `$flagd.timestamp`, so the clock is only read when it matters.
    var readsTimestamp: Bool { get }
    /// The value, when the rule is a literal.
    var literalValue: JSONValue? { get }
    /// The elements, when the rule was written as a JSON array with some rules inside.
    var arrayElements: [any Rule]? { get }
}

extension Rule {
    func test(_ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> Bool {
        try evaluate(context, &scope).isTruthy
    }
    var literalValue: JSONValue? { nil }
    var arrayElements: [any Rule]? { nil }

    /// Whether the rule was written as a JSON array (a `fractional` bucket, not a bucketing value).
    var isWrittenAsArray: Bool {
        arrayElements != nil || literalValue?.arrayValue != nil
    }
}

/// A value that needs no evaluation.
final class LiteralRule: Rule {
    let value: JSONValue

    init(_ value: JSONValue) {
        self.value = value
    }

    func evaluate(_ context: EvaluationContext, _ scope: inout RuleScope) -> JSONValue { value }
    var readsTimestamp: Bool { false }
    var literalValue: JSONValue? { value }
}

/// An array some of whose elements are rules.
final class ArrayRule: Rule {
    let elements: [any Rule]

    init(_ elements: [any Rule]) {
        self.elements = elements
    }

    func evaluate(_ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> JSONValue {
        var values: [JSONValue] = []
        values.reserveCapacity(elements.count)
        for element in elements { values.append(try element.evaluate(context, &scope)) }
        return .array(values)
    }

    func test(_ context: EvaluationContext, _ scope: inout RuleScope) -> Bool { !elements.isEmpty }
    var readsTimestamp: Bool { elements.contains { $0.readsTimestamp } }
    var arrayElements: [any Rule]? { elements }
}

/// An operator flagd does not know: evaluating it fails with `PARSE_ERROR`, as in flagd.
final class UnknownOperatorRule: Rule {
    let name: String

    init(_ name: String) {
        self.name = name
    }

    func evaluate(_ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> JSONValue {
        throw RuleFailure(message: "unknown operator \"\(name)\"")
    }

    var readsTimestamp: Bool { false }
}
