/// The operators of flagd's JsonLogic dialect that evaluate through ``OperationRule``; `var`,
/// `missing`, `if`, the equalities, `starts_with`, `ends_with` and `fractional` have rules of
/// their own.
enum Operator: String, Sendable, CaseIterable {
    case not = "!", truthy = "!!", or, and
    case greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<="
    case remainder = "%", divide = "/", multiply = "*", add = "+", subtract = "-", max, min
    case map, filter, reduce, all, none, some, merge, `in`
    case substring = "substr", concatenate = "cat", semanticVersion = "sem_ver"
}

/// An ``Operator`` with its unevaluated arguments.
final class OperationRule: Rule {
    let op: Operator
    let arguments: [any Rule]

    init(_ op: Operator, _ arguments: [any Rule]) {
        self.op = op
        self.arguments = arguments
    }

    func evaluate(_ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> JSONValue {
        try op.evaluate(arguments, context, &scope)
    }

    var readsTimestamp: Bool { arguments.contains { $0.readsTimestamp } }
}

/// `if` (and `?:`) as one step of a chain: `[c1, v1, c2, v2, …, else?]` compiles to
/// `if c1 then v1 else (if c2 then v2 else …)`; with no true condition and no else, `null`.
final class ConditionalRule: Rule {
    let condition: any Rule
    let then: any Rule
    let otherwise: any Rule

    /// Builds the chain for `if`'s arguments.
    static func chain(_ arguments: [any Rule]) -> any Rule {
        switch arguments.count {
        case 0: return LiteralRule(.null)
        case 1: return arguments[0]
        default: return ConditionalRule(condition: arguments[0], then: arguments[1], otherwise: chain(Array(arguments.dropFirst(2))))
        }
    }

    private init(condition: any Rule, then: any Rule, otherwise: any Rule) {
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
    }

    func evaluate(_ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> JSONValue {
        try condition.test(context, &scope) ? try then.evaluate(context, &scope) : try otherwise.evaluate(context, &scope)
    }

    var readsTimestamp: Bool { condition.readsTimestamp || then.readsTimestamp || otherwise.readsTimestamp }
}

/// `==`, `!=` (JavaScript's loose equality) and `===`, `!==` (strict).
final class EqualityRule: Rule {
    let strict: Bool
    let negated: Bool
    let left: any Rule
    let right: any Rule
    /// The right operand when it is a literal, as in `{"==": [{"var": "tier"}, "enterprise"]}`.
    let rightLiteral: JSONValue?

    init(strict: Bool, negated: Bool, _ arguments: [any Rule]) {
        self.strict = strict
        self.negated = negated
        left = arguments.first ?? LiteralRule(.null)
        right = arguments.count > 1 ? arguments[1] : LiteralRule(.null)
        rightLiteral = right.literalValue
    }

    func evaluate(_ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> JSONValue {
        .bool(try test(context, &scope))
    }

    func test(_ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> Bool {
        let a = try left.evaluate(context, &scope)
        let b: JSONValue
        if let rightLiteral { b = rightLiteral } else { b = try right.evaluate(context, &scope) }
        return (strict ? a.strictlyEquals(b) : a.looselyEquals(b)) != negated
    }

    var readsTimestamp: Bool { left.readsTimestamp || right.readsTimestamp }
}

/// `starts_with` and `ends_with`: exactly two strings, compared byte-wise; anything else is `null`.
final class AffixRule: Rule {
    let prefix: Bool
    /// Whether the rule has exactly two arguments; with any other number it is always `null`.
    let isWellFormed: Bool
    let text: any Rule
    let affix: any Rule
    /// The common case `{"ends_with": [{"var": "email"}, "@acme.com"]}`: the attribute read in place.
    let attributeAndLiteral: (attribute: String, hash: UInt64, affix: String)?

    init(prefix: Bool, _ arguments: [any Rule]) {
        self.prefix = prefix
        isWellFormed = arguments.count == 2
        text = arguments.first ?? LiteralRule(.null)
        affix = arguments.count > 1 ? arguments[1] : LiteralRule(.null)
        if isWellFormed, let variable = text as? VariableRule, variable.fallback == nil,
            let attribute = variable.path.singleComponent, case .string(let literal)? = affix.literalValue
        {
            attributeAndLiteral = (attribute, variable.path.firstComponentHash, literal)
        } else {
            attributeAndLiteral = nil
        }
    }

    func evaluate(_ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> JSONValue {
        if let attributeAndLiteral, scope.element == nil {
            return context.withValue(of: attributeAndLiteral.attribute, hash: attributeAndLiteral.hash) { value in
                guard case .string(let text)? = value else { return .null }
                return .bool(matches(text, attributeAndLiteral.affix))
            }
        }
        guard isWellFormed, case .string(let text) = try text.evaluate(context, &scope),
            case .string(let affix) = try affix.evaluate(context, &scope)
        else { return .null }
        return .bool(matches(text, affix))
    }

    private func matches(_ text: String, _ affix: String) -> Bool {
        prefix ? text.utf8.starts(with: affix.utf8) : Self.hasSuffix(text, affix)
    }

    /// Byte-wise suffix test, as Go's `strings.HasSuffix`.
    static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        let textCount = text.utf8.count
        let suffixCount = suffix.utf8.count
        guard suffixCount <= textCount else { return false }
        let compared = text.utf8.withContiguousStorageIfAvailable { textBytes in
            suffix.utf8.withContiguousStorageIfAvailable { suffixBytes in
                textBytes[(textCount - suffixCount)...].elementsEqual(suffixBytes)
            }
        }
        return compared.flatMap { $0 } ?? text.utf8.dropFirst(textCount - suffixCount).elementsEqual(suffix.utf8)
    }

    var readsTimestamp: Bool { text.readsTimestamp || affix.readsTimestamp }
}
