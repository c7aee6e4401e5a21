/// `+ - * / % min max`: integers stay integers while they fit; everything else is a double.
enum Arithmetic {
    static func fold(_ op: Operator, _ arguments: [any Rule], _ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure) -> JSONValue
    {
        var integer: Int64? = op == .add ? 0 : 1
        var double: Double = op == .add ? 0 : 1
        for rule in arguments {
            let value = try rule.evaluate(context, &scope)
            // JsonLogic's `+` and `*` use parseFloat, which gives NaN for null and Booleans.
            guard !value.isNull, value.boolValue == nil, let number = value.numericValue else { return .null }
            double = op == .add ? double + number : double * number
            if let current = integer, case .integer(let operand) = value {
                let (result, overflow) =
                    op == .add
                    ? current.addingReportingOverflow(operand) : current.multipliedReportingOverflow(by: operand)
                integer = overflow ? nil : result
            } else {
                integer = nil
            }
        }
        if let integer { return .integer(integer) }
        return double.isFinite ? .double(double) : .null
    }

    static func binary(_ op: Operator, _ arguments: [any Rule], _ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure)
        -> JSONValue
    {
        guard let firstRule = arguments.first else { return .null }
        let first = try firstRule.evaluate(context, &scope)
        if arguments.count == 1 {
            guard op == .subtract else { return .null }
            if case .integer(let number) = first, number != .min { return .integer(-number) }
            return first.numericValue.map { .double(-$0) } ?? .null
        }
        let second = try arguments[1].evaluate(context, &scope)
        if case .integer(let left) = first, case .integer(let right) = second {
            switch op {
            case .subtract:
                let (result, overflow) = left.subtractingReportingOverflow(right)
                if !overflow { return .integer(result) }
            case .remainder:
                if right == 0 { return .null }
                if right != -1 { return .integer(left % right) }
                return .integer(0)
            default:
                break
            }
        }
        guard let left = first.numericValue, let right = second.numericValue else { return .null }
        let result: Double
        switch op {
        case .subtract: result = left - right
        case .divide: result = left / right
        default: result = left.truncatingRemainder(dividingBy: right)
        }
        return result.isFinite ? .double(result) : .null
    }

    static func extreme(_ op: Operator, _ arguments: [any Rule], _ context: EvaluationContext, _ scope: inout RuleScope) throws(RuleFailure)
        -> JSONValue
    {
        var best: JSONValue?
        var bestNumber = 0.0
        for rule in arguments {
            let value = try rule.evaluate(context, &scope)
            guard let number = value.numericValue else { return .null }
            if best == nil || (op == .max ? number > bestNumber : number < bestNumber) {
                best = value
                bestNumber = number
            }
        }
        guard let best else { return .null }
        switch best {
        case .integer, .double: return best
        default: return .double(bestNumber)
        }
    }
}
