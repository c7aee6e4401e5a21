extension Operator {
    /// Evaluates the operator; arguments are evaluated here, lazily where JsonLogic short-circuits.
    func evaluate(_ arguments: [any Rule], _ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> JSONValue {
        func argument(_ index: Int) throws(RuleFailure) -> JSONValue {
            index < arguments.count ? try arguments[index].evaluate(context, &scope) : .null
        }
        switch self {
        case .not: return .bool(!(try argument(0).isTruthy))
        case .truthy: return .bool(try argument(0).isTruthy)
        case .or:
            var last = JSONValue.null
            for rule in arguments {
                last = try rule.evaluate(context, &scope)
                if last.isTruthy { return last }
            }
            return last
        case .and:
            var last = JSONValue.null
            for rule in arguments {
                last = try rule.evaluate(context, &scope)
                if !last.isTruthy { return last }
            }
            return last
        case .greater, .greaterOrEqual, .less, .lessOrEqual:
            return .bool(try compare(arguments, context, &scope))
        case .add, .multiply:
            return try Arithmetic.fold(self, arguments, context, &scope)
        case .subtract, .divide, .remainder:
            return try Arithmetic.binary(self, arguments, context, &scope)
        case .max, .min:
            return try Arithmetic.extreme(self, arguments, context, &scope)
        case .map, .filter, .reduce, .all, .none, .some:
            return try ArrayOperations.evaluate(self, arguments, context, &scope)
        case .merge:
            var merged: [JSONValue] = []
            for rule in arguments {
                let value = try rule.evaluate(context, &scope)
                if case .array(let elements) = value { merged.append(contentsOf: elements) } else { merged.append(value) }
            }
            try scope.charge(bytes: merged.count * RuleScope.bytesPerElement)
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
            for rule in arguments {
                let piece = try rule.evaluate(context, &scope).logicText
                try scope.charge(bytes: piece.utf8.count)
                text += piece
            }
            return .string(arguments.count > 1 ? String(text.trimmingJSONWhitespace()) : text)
        case .substring:
            return StringOperations.substring(try argument(0), try argument(1), arguments.count > 2 ? try argument(2) : nil)
        case .semanticVersion:
            guard arguments.count == 3 else { return .null }
            return SemanticVersion.compare(try argument(0), try argument(1), try argument(2))
        }
    }

    private func compare(_ arguments: [any Rule], _ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> Bool {
        guard arguments.count >= 2 else { return false }
        let first = try arguments[0].evaluate(context, &scope)
        let second = try arguments[1].evaluate(context, &scope)
        if arguments.count >= 3, self == .less || self == .lessOrEqual {
            let third = try arguments[2].evaluate(context, &scope)
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
