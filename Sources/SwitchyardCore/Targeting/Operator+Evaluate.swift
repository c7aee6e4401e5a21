extension Operator {
    /// Evaluates the operator; arguments are evaluated here, lazily where JsonLogic short-circuits.
    func evaluate(_ arguments: [Rule], _ environment: RuleEnvironment, _ scope: RuleScope) throws(RuleFailure) -> JSONValue {
        func argument(_ index: Int) throws(RuleFailure) -> JSONValue {
            index < arguments.count ? try arguments[index].evaluate(environment, scope) : .null
        }
        switch self {
        case .conditional, .ternary:
            var index = 0
            while index + 1 < arguments.count {
                if try argument(index).isTruthy { return try argument(index + 1) }
                index += 2
            }
            return index < arguments.count ? try argument(index) : .null
        case .looseEqual: return .bool(try argument(0).looselyEquals(try argument(1)))
        case .looseNotEqual: return .bool(!(try argument(0).looselyEquals(try argument(1))))
        case .strictEqual: return .bool(try argument(0).strictlyEquals(try argument(1)))
        case .strictNotEqual: return .bool(!(try argument(0).strictlyEquals(try argument(1))))
        case .not: return .bool(!(try argument(0).isTruthy))
        case .truthy: return .bool(try argument(0).isTruthy)
        case .or:
            var last = JSONValue.null
            for rule in arguments {
                last = try rule.evaluate(environment, scope)
                if last.isTruthy { return last }
            }
            return last
        case .and:
            var last = JSONValue.null
            for rule in arguments {
                last = try rule.evaluate(environment, scope)
                if !last.isTruthy { return last }
            }
            return last
        case .greater, .greaterOrEqual, .less, .lessOrEqual:
            return .bool(try compare(arguments, environment, scope))
        case .add, .multiply:
            return try Arithmetic.fold(self, arguments, environment, scope)
        case .subtract, .divide, .remainder:
            return try Arithmetic.binary(self, arguments, environment, scope)
        case .max, .min:
            return try Arithmetic.extreme(self, arguments, environment, scope)
        case .missing, .missingSome:
            return try Presence.evaluate(self, arguments, environment, scope)
        case .map, .filter, .reduce, .all, .none, .some:
            return try ArrayOperations.evaluate(self, arguments, environment, scope)
        case .merge:
            var merged: [JSONValue] = []
            for rule in arguments {
                let value = try rule.evaluate(environment, scope)
                if case .array(let elements) = value { merged.append(contentsOf: elements) } else { merged.append(value) }
            }
            return .array(merged)
        case .in:
            let needle = try argument(0)
            switch try argument(1) {
            case .string(let haystack):
                let text = needle.logicText
                return .bool(text.isEmpty || haystack.contains(text))
            case .array(let elements):
                return .bool(elements.contains { $0.strictlyEquals(needle) })
            default:
                return .bool(false)
            }
        case .concatenate:
            var text = ""
            for rule in arguments { text += try rule.evaluate(environment, scope).logicText }
            return .string(arguments.count > 1 ? String(text.trimmingJSONWhitespace()) : text)
        case .substring:
            return StringOperations.substring(try argument(0), try argument(1), arguments.count > 2 ? try argument(2) : nil)
        case .startsWith, .endsWith:
            guard arguments.count == 2, case .string(let text) = try argument(0),
                case .string(let affix) = try argument(1)
            else { return .null }
            return .bool(self == .startsWith ? text.utf8.starts(with: affix.utf8) : StringOperations.hasSuffix(text, affix))
        case .semanticVersion:
            guard arguments.count == 3 else { return .null }
            return SemanticVersion.compare(try argument(0), try argument(1), try argument(2))
        }
    }

    private func compare(_ arguments: [Rule], _ environment: RuleEnvironment, _ scope: RuleScope) throws(RuleFailure) -> Bool {
        guard arguments.count >= 2 else { return false }
        let first = try arguments[0].evaluate(environment, scope)
        let second = try arguments[1].evaluate(environment, scope)
        if arguments.count >= 3, self == .less || self == .lessOrEqual {
            let third = try arguments[2].evaluate(environment, scope)
            return ordered(first, second) && ordered(second, third)
        }
        switch self {
        case .greater: return ordered(second, first)
        case .greaterOrEqual: return Operator.lessOrEqual.ordered(second, first)
        default: return ordered(first, second)
        }
    }

    /// `left < right` (or `<=`), comparing strings as strings and anything else as numbers.
    private func ordered(_ left: JSONValue, _ right: JSONValue) -> Bool {
        let strict = self == .less || self == .greater
        if case .string(let leftText) = left, case .string(let rightText) = right {
            return strict ? leftText < rightText : leftText <= rightText
        }
        guard let leftNumber = left.numericValue, let rightNumber = right.numericValue else { return false }
        return strict ? leftNumber < rightNumber : leftNumber <= rightNumber
    }
}
